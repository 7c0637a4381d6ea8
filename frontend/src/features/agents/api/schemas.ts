// The agent form's rules (name, labels, the monitor it depends on), next to the requests it
// builds; checked against the generated AgentCreate/AgentUpdate types by the mutations' signatures.
import { z } from "zod";
import { t } from "../messages";
import { LABEL_BOUNDS, labelCount, NAME_MAX, rowIssues } from "./labels";

const ISSUE_TEXT = {
  keyRequired: () => t("labelKeyRequired"),
  keyTooLong: () => t("labelKeyTooLong", { max: LABEL_BOUNDS.maxKey }),
  valueTooLong: () => t("labelValueTooLong", { max: LABEL_BOUNDS.maxValue }),
  duplicateKey: () => t("labelDuplicate"),
} as const;

export const agentFormSchema = z.object({
  name: z.string().trim().min(1, t("nameRequired")).max(NAME_MAX, t("nameTooLong", { max: NAME_MAX })),
  labels: z
    .array(z.object({ key: z.string(), value: z.string() }))
    .superRefine((rows, ctx) => {
      for (const { index, field, issue } of rowIssues(rows)) {
        ctx.addIssue({ code: "custom", path: [index, field], message: ISSUE_TEXT[issue]() });
      }
      if (labelCount(rows) > LABEL_BOUNDS.maxLabels) {
        ctx.addIssue({ code: "custom", path: [], message: t("labelsTooMany", { max: LABEL_BOUNDS.maxLabels }) });
      }
    }),
  // "" = none; else the id of the monitor the host sits behind (editing only: AgentUpdate).
  parent_monitor_id: z.string().default(""),
});
export type AgentFormInput = z.input<typeof agentFormSchema>;
export type AgentFormValues = z.output<typeof agentFormSchema>;

/** The monitor a host depends on, as PATCH /agents/{id} takes it (null removes it). */
export function parentMonitorOf(values: Pick<AgentFormInput, "parent_monitor_id">): number | null {
  return values.parent_monitor_id ? Number(values.parent_monitor_id) : null;
}
