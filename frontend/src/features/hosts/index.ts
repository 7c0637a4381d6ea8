// The hosts feature's public surface: routes and app/ import only from here.
export { HostsPage } from "./components/hosts-page";
export { validateHostsSearch, type HostsSearch } from "./model/filters";
export { hostsLiveHandler } from "./api/live";
export { useHostPaletteItems } from "./palette";
export { hostsKeys } from "./api/keys";
export { t as hostsText } from "./messages";
