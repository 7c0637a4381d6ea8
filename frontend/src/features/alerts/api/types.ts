import type { AlertSchemas, AuthSchemas, ProbeSchemas } from "@/lib/api/clients";

type S = AlertSchemas["schemas"];

export type Alert = S["AlertPublic"];
export type AlertsPage = S["AlertsPage"];
export type Rule = S["RulePublic"];
export type RuleCreate = S["RuleCreate"];
export type RuleUpdate = S["RuleUpdate"];
export type Channel = S["ChannelPublic"];
export type ChannelType = S["ChannelType"];
export type ChannelCreate = S["ChannelCreate"];
export type ChannelUpdate = S["ChannelUpdate"];
export type ChannelTestResult = S["ChannelTestResult"];
export type Delivery = S["DeliveryPublic"];
export type Silence = S["SilencePublic"];
export type SilenceCreate = S["SilenceCreate"];
export type Recipient = S["RecipientPublic"];
export type HostOverview = AuthSchemas["schemas"]["AgentOverview"];
export type Member = AuthSchemas["schemas"]["MemberPublic"];
export type Monitor = ProbeSchemas["schemas"]["MonitorPublic"];
export type TargetType = Rule["target_type"];
export const TARGET_TYPES = ["agent", "monitor"] as const satisfies readonly TargetType[];

export type Severity = Alert["severity"];
export type Condition = Rule["condition"];
export const SEVERITIES = ["critical", "warning", "info"] as const satisfies readonly Severity[];
export const CONDITIONS = ["gt", "ge", "lt", "le", "eq", "ne"] as const satisfies readonly Condition[];
export const ALERT_STATUSES = ["firing", "resolved"] as const;
export type AlertStatusFilter = (typeof ALERT_STATUSES)[number];

/** The Alerts tab's filters, as its URL carries them. */
export interface AlertFilters {
  status?: AlertStatusFilter | undefined;
  severity?: Severity | undefined;
  host?: number | undefined;
  monitor?: number | undefined;
  rule?: number | undefined;
  page?: number | undefined;
}

/** A page of alerts as the list shows it. */
export type AlertsView = AlertsPage;
