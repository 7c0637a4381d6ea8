import { zodResolver } from "@hookform/resolvers/zod";
import { Controller, useForm } from "react-hook-form";
import { InlineError } from "@/components/errors/error-message";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { labelsOf, NAME_MAX, rowsOf, serverFieldErrors } from "../api/labels";
import { type IssuedToken, useCreateAgent, useUpdateAgent } from "../api/mutations";
import type { Agent } from "../api/queries";
import { type AgentFormInput, agentFormSchema, parentMonitorOf } from "../api/schemas";
import { t } from "../messages";
import { LabelEditor } from "./label-editor";
import { ParentMonitorField } from "./parent-monitor-field";

/** Create an agent (then its token is shown), or edit its name, labels and the monitor it depends on. */
export function AgentFormDialog({
  agent,
  onClose,
  onCreated,
}: {
  agent?: Agent | undefined;
  onClose: () => void;
  onCreated: (issued: IssuedToken) => void;
}) {
  const create = useCreateAgent();
  const update = useUpdateAgent();
  const mutation = agent ? update : create;
  const form = useForm<AgentFormInput>({
    resolver: zodResolver(agentFormSchema),
    defaultValues: agent
      ? { name: agent.name, labels: rowsOf(agent.labels), parent_monitor_id: agent.parent_monitor_id == null ? "" : String(agent.parent_monitor_id) }
      : { name: "", labels: [{ key: "", value: "" }], parent_monitor_id: "" },
  });
  const errors = form.formState.errors;

  const submit = form.handleSubmit((values) => {
    const body = { name: values.name.trim(), labels: labelsOf(values.labels) };
    // The server's field errors go on their fields; anything else shows below the form.
    const onError = (error: unknown) => {
      for (const { path, message } of serverFieldErrors(error, values.labels)) form.setError(path, { type: "server", message });
    };
    if (agent) update.mutate({ id: agent.id, ...body, parent_monitor_id: parentMonitorOf(values) }, { onSuccess: onClose, onError });
    else create.mutate(body, { onSuccess: onCreated, onError });
  });
  const fieldErrorsShown = serverFieldErrors(mutation.error, form.getValues("labels")).length > 0;

  return (
    <Dialog open onOpenChange={(open) => !open && !mutation.isPending && onClose()}>
      <DialogContent
        title={agent ? t("editTitle", { name: agent.name }) : t("createTitle")}
        description={agent ? undefined : t("createHint")}
        closeLabel={t("close")}
      >
        <form onSubmit={submit} className="grid gap-4" noValidate>
          <FormField label={t("name")} hint={t("nameHint", { max: NAME_MAX })} error={errors.name?.message}>
            <Input autoComplete="off" autoFocus {...form.register("name")} />
          </FormField>
          <LabelEditor control={form.control} register={form.register} errors={errors} />
          {/* A new agent has no dependency yet (AgentCreate takes none): set it once it exists. */}
          {agent ? (
            <Controller
              control={form.control}
              name="parent_monitor_id"
              // Controlled: the options arrive after the form, and the choice must show then.
              render={({ field }) => <ParentMonitorField current={agent.parent_monitor_id ?? null} {...field} />}
            />
          ) : null}
          {fieldErrorsShown ? null : <InlineError error={mutation.error} />}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={onClose} disabled={mutation.isPending}>
              {t("cancel")}
            </Button>
            <Button type="submit" disabled={mutation.isPending}>
              {agent ? (update.isPending ? t("saving") : t("save")) : create.isPending ? t("creating") : t("createSubmit")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
