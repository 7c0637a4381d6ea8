import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { hostsQuery, membersQuery, monitorsQuery, rulesQuery } from "../api/queries";
import type { HostOverview, Monitor, Rule } from "../api/types";
import { t } from "../messages";

const pairs = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(", ");

/** Names for the ids alerts, rules and silences carry: hosts, monitors, rules, members. */
export function useLookups() {
  const hosts = useQuery(hostsQuery());
  const monitors = useQuery(monitorsQuery());
  const rules = useQuery(rulesQuery());
  const members = useQuery(membersQuery());
  return useMemo(() => {
    const hostById = new Map<number, HostOverview>((hosts.data?.data ?? []).map((host) => [host.id, host]));
    const monitorById = new Map<number, Monitor>((monitors.data?.data ?? []).map((monitor) => [monitor.id, monitor]));
    const ruleById = new Map<number, Rule>((rules.data ?? []).map((rule) => [rule.id, rule]));
    const memberName = new Map<number, string>();
    for (const member of members.data ?? []) {
      if (member.user_id != null) memberName.set(member.user_id, member.username ?? member.email);
    }
    const hostName = (id: number | null | undefined) => (id == null ? t("allHosts") : (hostById.get(id)?.name ?? t("hostNumber", { id })));
    const monitorName = (id: number | null | undefined) => (id == null ? t("allMonitors") : (monitorById.get(id)?.name ?? t("monitorNumber", { id })));
    return {
      hosts: hosts.data?.data ?? [],
      monitors: monitors.data?.data ?? [],
      rules: rules.data ?? [],
      hostById,
      monitorById,
      ruleById,
      hostName,
      monitorName,
      /** What a rule watches: "web-1", "All hosts", "Monitors with env=prod", "shop". */
      ruleTarget: (rule: Pick<Rule, "target_type" | "agent_id" | "monitor_id" | "labels">) => {
        const labelled = Object.keys(rule.labels).length > 0;
        if (rule.target_type === "monitor") {
          return rule.monitor_id == null && labelled ? t("monitorsWithLabels", { labels: pairs(rule.labels) }) : monitorName(rule.monitor_id);
        }
        return rule.agent_id == null && labelled ? t("hostsWithLabels", { labels: pairs(rule.labels) }) : hostName(rule.agent_id);
      },
      memberName: (id: number | null | undefined) => (id == null ? "—" : (memberName.get(id) ?? t("userNumber", { id }))),
    };
  }, [hosts.data, monitors.data, rules.data, members.data]);
}
