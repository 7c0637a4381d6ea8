import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { hostsQuery, membersQuery, rulesQuery } from "../api/queries";
import type { HostOverview, Rule } from "../api/types";
import { t } from "../messages";

/** Names for the ids alerts, rules and silences carry: hosts, rules, members. */
export function useLookups() {
  const hosts = useQuery(hostsQuery());
  const rules = useQuery(rulesQuery());
  const members = useQuery(membersQuery());
  return useMemo(() => {
    const hostById = new Map<number, HostOverview>((hosts.data?.data ?? []).map((host) => [host.id, host]));
    const ruleById = new Map<number, Rule>((rules.data ?? []).map((rule) => [rule.id, rule]));
    const memberName = new Map<number, string>();
    for (const member of members.data ?? []) {
      if (member.user_id != null) memberName.set(member.user_id, member.username ?? member.email);
    }
    return {
      hosts: hosts.data?.data ?? [],
      rules: rules.data ?? [],
      hostById,
      ruleById,
      hostName: (id: number | null | undefined) => (id == null ? t("allHosts") : (hostById.get(id)?.name ?? t("hostNumber", { id }))),
      memberName: (id: number | null | undefined) => (id == null ? "—" : (memberName.get(id) ?? t("userNumber", { id }))),
    };
  }, [hosts.data, rules.data, members.data]);
}
