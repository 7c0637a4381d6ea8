export { AgentsPage } from "./components/agents-page";
export { agentsLiveHandler } from "./api/live";
export { agentsKeys } from "./api/keys";
