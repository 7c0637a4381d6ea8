// The monitors feature's public surface: routes and app/ import only from here.
export { MonitorsPage } from "./components/monitors-page";
export { MonitorPage } from "./components/monitor-page";
export { EditMonitorPage, NewMonitorPage } from "./components/form-pages";
export { IncidentsPage } from "./components/incidents-page";
export { validateIncidentsSearch, validateMonitorSearch, validateMonitorsSearch, validateNewMonitorSearch } from "./search";
export { useMonitorPaletteItems } from "./palette";
export { monitorKeys } from "./api/keys";
export { monitorsLiveHandler } from "./api/live";
// The palette's few words (the full catalogue stays with the pages).
export { paletteText as monitorsText } from "./palette";
