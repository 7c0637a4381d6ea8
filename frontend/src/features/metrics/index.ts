// The metrics feature: the host page (/hosts/$agentId). Route files import only from here.
export { HostPage } from "./components/host-page";
export { validateHostSearch, type HostSearch } from "./search";
export { metricsKeys } from "./api/keys";
