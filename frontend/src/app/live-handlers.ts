// Each feature that listens to the live socket contributes one handler here.
import { agentsLiveHandler } from "@/features/agents";
import { hostsLiveHandler } from "@/features/hosts";
import { monitorsLiveHandler } from "@/features/monitors";
import type { LiveHandler } from "./realtime";

export const LIVE_HANDLERS: readonly LiveHandler[] = [hostsLiveHandler, agentsLiveHandler, monitorsLiveHandler];
