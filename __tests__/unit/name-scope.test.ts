import { sameNamespace } from "../../src/lib/name-scope";

/** Where AWS holds two resource names in one namespace (src/lib/name-scope.ts): both name checks read it. */
describe("sameNamespace", () => {
  const a = { account: "111111111111", region: "us-east-1" };
  const otherRegion = { account: "111111111111", region: "eu-west-1" };
  const otherAccount = { account: "222222222222", region: "us-east-1" };
  const anyAccount = { region: "us-east-1" };

  it.each([
    ["global", otherAccount, true],
    ["global", { account: "222222222222", region: "eu-west-1" }, true],
    ["account", otherRegion, true],
    ["account", otherAccount, false],
    ["account", anyAccount, true],
    ["account-region", a, true],
    ["account-region", otherRegion, false],
    ["account-region", otherAccount, false],
    ["account-region", anyAccount, true],
    ["account-region", { region: "eu-west-1" }, false],
  ] as const)("%s: %j beside 111111111111/us-east-1 -> %s", (scope, place, expected) => {
    expect(sameNamespace(scope, a, place)).toBe(expected);
    expect(sameNamespace(scope, place, a)).toBe(expected);
  });
});
