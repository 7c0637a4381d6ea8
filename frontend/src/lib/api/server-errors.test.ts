import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { applyServerErrors, serverProblems } from "./server-errors";

const refused = (detail: unknown) => new ApiError(422, "refused", { detail });

describe("the server's refusals, field by field", () => {
  it("reads FastAPI's list, without the body prefix and pydantic's wording", () => {
    const error = refused([
      { loc: ["body", "renotify_seconds"], msg: "Input should be greater than or equal to 60", type: "greater_than_equal" },
      { loc: ["body"], msg: "Value error, threshold: a percentage must be between 0 and 100", type: "value_error" },
    ]);
    expect(serverProblems(error)).toEqual([
      { path: "renotify_seconds", message: "Input should be greater than or equal to 60" },
      { path: "threshold", message: "a percentage must be between 0 and 100" },
    ]);
  });

  it("splits the channel validation's joined message, and keeps sentences that name no field whole", () => {
    const error = refused("config.url: Value error, URL must start with http:// or https://; config.secret: String should have at least 8 characters");
    const set: Record<string, string> = {};
    const rest = applyServerErrors(error, ["name", "config.url", "config.secret"], (field, message) => (set[field] = message));
    expect(set).toEqual({ "config.url": "URL must start with http:// or https://", "config.secret": "String should have at least 8 characters" });
    expect(rest).toBeNull();
    expect(applyServerErrors(refused("agent not found"), ["agent_id"], () => undefined)).toBe("agent not found");
    expect(serverProblems(refused("refused to connect to 127.0.0.1 port 9: a loopback address"))[0]?.path).toBeNull();
  });

  it("puts a problem about one label on the labels field", () => {
    const set: Record<string, string> = {};
    applyServerErrors(refused([{ loc: ["body", "labels", "bad key"], msg: "String should match pattern" }]), ["labels", "match"], (field, message) => (set[field] = message));
    expect(set).toEqual({ labels: "String should match pattern" });
  });
});
