import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { LABEL_BOUNDS, labelsOf, rowIssues, rowsOf, serverFieldErrors } from "./labels";
import { agentFormSchema } from "./schemas";

const issuesOf = (labels: { key: string; value: string }[], name = "web-1") => {
  const result = agentFormSchema.safeParse({ name, labels });
  return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
};

describe("label rows", () => {
  it("round-trip, trimmed, the blank spare row dropped", () => {
    expect(rowsOf({ env: "prod", role: "db" })).toEqual([
      { key: "env", value: "prod" },
      { key: "role", value: "db" },
    ]);
    expect(labelsOf([{ key: " env ", value: " prod " }, { key: "", value: "" }, { key: "empty", value: "" }])).toEqual({ env: "prod", empty: "" });
  });

  it("name each row's problem: missing or too long key, duplicate, too long value", () => {
    const long = (n: number) => "x".repeat(n);
    expect(
      rowIssues([
        { key: "", value: "orphan" },
        { key: long(LABEL_BOUNDS.maxKey + 1), value: "v" },
        { key: "env", value: "a" },
        { key: "env ", value: "b" },
        { key: "ok", value: long(LABEL_BOUNDS.maxValue + 1) },
        { key: long(LABEL_BOUNDS.maxKey), value: long(LABEL_BOUNDS.maxValue) },
      ]),
    ).toEqual([
      { index: 0, field: "key", issue: "keyRequired" },
      { index: 1, field: "key", issue: "keyTooLong" },
      { index: 3, field: "key", issue: "duplicateKey" },
      { index: 4, field: "value", issue: "valueTooLong" },
    ]);
  });
});

describe("the agent form's validation", () => {
  it("accepts a name with labels at the server's bounds", () => {
    const labels = Array.from({ length: LABEL_BOUNDS.maxLabels }, (_, i) => ({ key: `k${i}`, value: "v" }));
    expect(issuesOf(labels)).toEqual([]);
  });

  it("puts each error on its own field", () => {
    expect(issuesOf([{ key: "env", value: "a" }, { key: "env", value: "b" }, { key: "", value: "x" }], "  ")).toEqual([
      { path: "name", message: "A name is required." },
      { path: "labels.1.key", message: "This key is used twice." },
      { path: "labels.2.key", message: "A label needs a key." },
    ]);
    expect(issuesOf([{ key: "k", value: "v".repeat(257) }])).toEqual([{ path: "labels.0.value", message: "Values have at most 256 characters." }]);
    expect(issuesOf([], "n".repeat(121))).toEqual([{ path: "name", message: "At most 120 characters." }]);
  });

  it("refuses a 33rd label on the set as a whole", () => {
    const labels = Array.from({ length: LABEL_BOUNDS.maxLabels + 1 }, (_, i) => ({ key: `k${i}`, value: "v" }));
    expect(issuesOf(labels)).toEqual([{ path: "labels", message: "At most 32 labels." }]);
  });
});

describe("the server's 422 on the form", () => {
  // As FastAPI answered a POST /agents with these faults (captured from the running service).
  const longKey = "k".repeat(65);
  const body = {
    detail: [
      { type: "string_too_short", loc: ["body", "name"], msg: "String should have at least 1 character" },
      { type: "string_too_long", loc: ["body", "labels", longKey, "[key]"], msg: "String should have at most 64 characters" },
      { type: "string_too_long", loc: ["body", "labels", "ok"], msg: "String should have at most 256 characters" },
      { type: "too_long", loc: ["body", "labels"], msg: "Dictionary should have at most 32 items after validation, not more" },
      { type: "value_error", loc: ["body", "labels", "gone"], msg: "Value error, NUL is not allowed" },
    ],
  };
  const rows = [
    { key: "ok", value: "v".repeat(257) },
    { key: ` ${longKey}`, value: "x" },
  ];

  it("lands on the row and field it names", () => {
    expect(serverFieldErrors(new ApiError(422, "", body), rows)).toEqual([
      { path: "name", message: "String should have at least 1 character" },
      { path: "labels.1.key", message: "String should have at most 64 characters" },
      { path: "labels.0.value", message: "String should have at most 256 characters" },
      { path: "labels", message: "Dictionary should have at most 32 items after validation, not more" },
      { path: "labels", message: "gone: Value error, NUL is not allowed" },
    ]);
  });

  it("is not a field error when it is not a 422", () => {
    expect(serverFieldErrors(new ApiError(403, "this action needs the operator role", { detail: "x" }), rows)).toEqual([]);
    expect(serverFieldErrors(new Error("offline"), rows)).toEqual([]);
  });
});
