// The alert area's public surface: the routes under /alerts import only these.
export { AlertsLayout } from "./components/alerts-layout";
export { AlertsTab } from "./components/alerts-tab";
export { RulesTab } from "./components/rules-tab";
export { ChannelsTab } from "./components/channels-tab";
export { SilencesTab } from "./components/silences-tab";
export { alertKeys } from "./api/keys";
export { t as alertsText } from "./messages";
