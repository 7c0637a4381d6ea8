import { Activity, Server } from "lucide-react";
import { Label } from "@/components/ui/input";
import { TARGET_TYPES, type TargetType } from "../api/types";
import { t } from "../messages";

const ICONS = { agent: Server, monitor: Activity } as const;

/** "What it watches": hosts (their agents' metrics) or uptime monitors (their checks). */
export function TargetTypeChoice({ value, onChange }: { value: TargetType; onChange: (value: TargetType) => void }) {
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1.5 text-sm font-medium">{t("ruleTarget")}</legend>
      <div className="flex flex-wrap gap-2">
        {TARGET_TYPES.map((type) => {
          const Icon = ICONS[type];
          return (
            <Label
              key={type}
              className="flex cursor-pointer items-center gap-2 rounded-md border px-3 py-2 has-[:checked]:border-primary has-[:checked]:bg-primary/10 has-[:focus-visible]:outline-2"
            >
              <input type="radio" name="target_type" className="sr-only" checked={value === type} onChange={() => onChange(type)} />
              <Icon aria-hidden="true" className="size-4" />
              {t(`target_${type}`)}
            </Label>
          );
        })}
      </div>
    </fieldset>
  );
}
