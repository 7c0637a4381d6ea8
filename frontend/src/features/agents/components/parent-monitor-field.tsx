import { useQuery } from "@tanstack/react-query";
import type { ComponentProps } from "react";
import { FormField } from "@/components/ui/form-field";
import { NativeSelect } from "@/components/ui/input";
import { monitorsQuery } from "../api/queries";
import { t } from "../messages";

/**
 * "Depends on monitor": the uptime monitor this host sits behind (its router, its hypervisor).
 * While that monitor is down the host is unreachable, not offline, and alerting notifies once.
 */
export function ParentMonitorField({ current, ...select }: { current: number | null } & ComponentProps<"select">) {
  const monitors = useQuery(monitorsQuery());
  const list = monitors.data ?? [];
  // The stored choice stays offered (and so unchanged on save) while the list is not there.
  const unlisted = current !== null && !list.some((monitor) => monitor.id === current);
  return (
    <FormField label={t("parentMonitor")} hint={monitors.isError ? t("parentMonitorUnavailable") : t("parentMonitorHint")}>
      <NativeSelect {...select}>
        <option value="">{t("parentMonitorNone")}</option>
        {unlisted ? <option value={current}>{t("monitorNumber", { id: current })}</option> : null}
        {list.map((monitor) => (
          <option key={monitor.id} value={monitor.id}>
            {monitor.name}
          </option>
        ))}
      </NativeSelect>
    </FormField>
  );
}
