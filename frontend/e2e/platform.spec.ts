// The ground the other specs stand on, through the API: the platform under test takes a real
// agent's reports, and its alert service reaches a webhook receiver on this machine.
import { admin, expect, test } from "./fixtures";
import { startAgent, startWebhookReceiver } from "./platform";

test("a real agent reports to the platform under test, and a webhook channel reaches a local receiver", async ({ request }) => {
  const signedIn = await request.post("/api/auth/token", { form: { username: admin.username, password: admin.password } });
  expect(signedIn.ok(), await signedIn.text()).toBe(true);
  const { access_token } = (await signedIn.json()) as { access_token: string };
  const headers = { Authorization: `Bearer ${access_token}` };
  const name = `platform-e2e-${String(Date.now())}`;

  const created = await request.post("/api/auth/agents", { headers, data: { name } });
  expect(created.ok(), await created.text()).toBe(true);
  const agent = (await created.json()) as { id: number; token: string };
  const running = startAgent(agent.token);
  const receiver = await startWebhookReceiver();
  let channelId: number | undefined;
  try {
    await expect
      .poll(
        async () => {
          const found = await request.get(`/api/auth/agents/${agent.id}`, { headers });
          return ((await found.json()) as { last_seen_at: string | null }).last_seen_at;
        },
        { timeout: 30_000, message: `the agent never reported:\n${running.output()}` },
      )
      .not.toBeNull();

    const channel = await request.post("/api/alerts/channels", {
      headers,
      data: { type: "webhook", name, config: { url: receiver.url } },
    });
    expect(channel.ok(), await channel.text()).toBe(true);
    channelId = ((await channel.json()) as { id: number }).id;
    const sent = await request.post(`/api/alerts/channels/${channelId}/test`, { headers });
    expect(await sent.json()).toMatchObject({ ok: true });
    const hook = await receiver.waitFor((r) => r.headers["x-statusmonitor-event"] === "test");
    expect(hook.method).toBe("POST");
    expect(JSON.parse(hook.body)).toMatchObject({ kind: "test" });
  } finally {
    await running.stop();
    await receiver.close();
    if (channelId !== undefined) await request.delete(`/api/alerts/channels/${channelId}`, { headers });
    await request.delete(`/api/auth/agents/${agent.id}`, { headers });
  }
});
