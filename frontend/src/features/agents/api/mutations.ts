import { type QueryClient, useMutation, useQueryClient } from "@tanstack/react-query";
import { authApi, data } from "@/lib/api/clients";
import { localDeadline } from "./activation";
import { agentsKeys } from "./keys";
import type { Agent, AgentCreated, AgentUpdate } from "./queries";

/** A token as the page holds it while its dialog is open; never cached, never stored. */
export interface IssuedToken {
  agent: Agent;
  token: string;
  /** When the activation window closes, in this browser's clock (ms), or null. */
  deadline: number | null;
}

function issued(result: { data?: AgentCreated; response: Response }): IssuedToken {
  const { token, ...agent } = data(result);
  return {
    agent,
    token,
    deadline: localDeadline(agent.activation_deadline, result.response.headers.get("Date"), Date.now()),
  };
}

/** The list without the token; the overview learns of the agent at its next fetch. */
function remember(queryClient: QueryClient, agent: Agent): void {
  queryClient.setQueryData<Agent[]>(agentsKeys.list(), (list) => {
    if (!list) return list;
    const others = list.filter((item) => item.id !== agent.id);
    return [...others, agent].sort((a, b) => a.id - b.id);
  });
  void queryClient.invalidateQueries({ queryKey: agentsKeys.all });
}

// Tokens must not outlive their dialog in the mutation cache: gcTime 0 drops the result as
// soon as the dialog lets go of it.
const ONCE = { gcTime: 0 } as const;

export function useCreateAgent() {
  const queryClient = useQueryClient();
  return useMutation({
    ...ONCE,
    mutationFn: async (body: { name: string; labels: Record<string, string> }) =>
      issued(await authApi.POST("/agents", { body })),
    onSuccess: (result) => remember(queryClient, result.agent),
  });
}

export function useRegenerateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    ...ONCE,
    mutationFn: async (agentId: number) =>
      issued(await authApi.POST("/agents/{agent_id}/regenerate-token", { params: { path: { agent_id: agentId } } })),
    onSuccess: (result) => remember(queryClient, result.agent),
  });
}

export function useUpdateAgent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, ...body }: { id: number } & AgentUpdate) =>
      data(await authApi.PATCH("/agents/{agent_id}", { params: { path: { agent_id: id } }, body })),
    onSuccess: (agent) => remember(queryClient, agent),
  });
}

export function useDeleteAgent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (agentId: number) => {
      await authApi.DELETE("/agents/{agent_id}", { params: { path: { agent_id: agentId } } });
      return agentId;
    },
    onSuccess: (agentId) => {
      queryClient.setQueryData<Agent[]>(agentsKeys.list(), (list) => list?.filter((item) => item.id !== agentId));
      void queryClient.invalidateQueries({ queryKey: agentsKeys.all });
    },
  });
}
