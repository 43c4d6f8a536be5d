import { ConfigError, ConfigErrors } from "../../src/lib/errors";
import { checkOverrides } from "../../src/config/overrides";
import { resolveSystemConfig } from "../../src/config/resolve";
import { selectionFromEnv } from "../../src/config/selection";
import { SystemConfigInput } from "../../src/config/system-config";
import { checkName, Naming } from "../../src/lib/naming";
import { HARNESS_ACCOUNTS } from "../harness/inputs";

const preset: SystemConfigInput = { project: "acme", region: "us-east-1" };
/** Outside dev, accountId is a required input: the harness's test account. */
const inputs = (environment: string): SystemConfigInput => (environment === "dev" ? {} : { accountId: HARNESS_ACCOUNTS.prod });

/** The problems resolving `layer` over the preset reports, or fails if it resolves. */
function problems(layer: SystemConfigInput, environment = "prod"): ConfigError[] {
  try {
    resolveSystemConfig(environment, preset, inputs(environment), layer);
  } catch (e) {
    if (e instanceof ConfigErrors) return [...e.errors];
    throw e;
  }
  throw new Error("expected the configuration to be rejected");
}

describe("resolveSystemConfig", () => {
  it("fills every default from the environment profile", () => {
    const dev = resolveSystemConfig("dev", preset);
    const prod = resolveSystemConfig("prod", preset, inputs("prod"));
    expect(dev.network.azs).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(dev.network.cidr).toBe("10.0.0.0/16");
    expect(dev.network.natGateways).toBe("single");
    expect(prod.network.natGateways).toBe("one_per_az");
    expect(dev.network.flowLogs.retentionInDays).toBe(30);
    expect(prod.network.flowLogs.retentionInDays).toBe(365);
    expect(dev.deletionProtection).toBe(false);
    expect(prod.deletionProtection).toBe(true);
  });

  it("lets later layers override earlier ones", () => {
    const config = resolveSystemConfig("dev", preset, { network: { natGateways: "one_per_az", isolatedSubnets: null } });
    expect(config.network.natGateways).toBe("one_per_az");
    expect(config.network.isolatedSubnets).toBeNull();
  });

  describe("rejects, naming the key, the value and the fix,", () => {
    it("a malformed CIDR", () => {
      const [e] = problems({ network: { cidr: "10.0.0.0/33" } });
      expect(e.key).toBe("network.cidr");
      expect(e.value).toBe("10.0.0.0/33");
      expect(e.message).toMatch(/acme\/prod: network.cidr = "10.0.0.0\/33"/);
      expect(e.fix).toMatch(/a\.b\.c\.d\/n/);
    });

    it("subnets that overlap", () => {
      const [e] = problems({
        network: {
          publicSubnets: { cidrs: { "us-east-1a": "10.0.0.0/24", "us-east-1b": "10.0.0.128/25", "us-east-1c": "10.0.2.0/24" } },
        },
      });
      expect(e.key).toBe("network.publicSubnets.cidrs.us-east-1b");
      expect(e.problem).toMatch(/overlaps network|overlaps publicSubnets/);
    });

    it("subnets that do not fit in the VPC", () => {
      const [e] = problems({ network: { cidr: "10.0.0.0/22" } });
      expect(e.key).toBe("network.publicSubnets.prefixLength");
      expect(e.problem).toMatch(/does not fit in cidr 10.0.0.0\/22/);
      expect(e.fix).toMatch(/larger prefix length|larger VPC/);
    });

    it("an EKS cluster name the subnets are tagged for that EKS would refuse", () => {
      const [e] = problems({ network: { eksClusterNames: ["ok-cluster", "-not-ok"] } });
      expect([e.key, e.value, e.problem]).toEqual(["network.eksClusterNames[1]", "-not-ok", "is not a valid EKS cluster name"]);
    });

    it("fewer than 2 AZs", () => {
      const [e] = problems({ network: { azs: ["us-east-1a"] } });
      expect(e.key).toBe("network.azs");
      expect(e.problem).toMatch(/lists 1 availability zone\(s\); a network spans 2 to 6/);
    });

    it("more than 6 AZs", () => {
      const azs = ["a", "b", "c", "d", "e", "f", "a"].map((l) => `us-east-1${l}`);
      expect(problems({ network: { azs } })[0].problem).toMatch(/lists 7 availability zone/);
    });

    it("an AZ that is not in the region", () => {
      const [e] = problems({ network: { azs: ["us-east-1a", "us-west-2b"] } });
      expect(e.key).toBe("network.azs[1]");
      expect(e.problem).toBe("is not an availability zone of region us-east-1");
      expect(e.fix).toMatch(/us-east-1a, us-east-1b/);
    });

    it("no AZs in us-west-1, in any environment: accounts see two of its three zones, under names that differ by account", () => {
      const [e] = problems({ region: "us-west-1" }, "dev");
      expect([e.key, e.value]).toEqual(["network.azs", undefined]);
      expect(e.problem).toMatch(/is required in us-west-1: .*names that differ by account/);
      expect(e.fix).toMatch(/aws ec2 describe-availability-zones --region us-west-1/);
      const given = resolveSystemConfig("dev", preset, { region: "us-west-1", network: { azs: ["us-west-1a", "us-west-1c"] } });
      expect(given.network.azs).toEqual(["us-west-1a", "us-west-1c"]);
    });

    it("a region this project does not know", () => {
      const [e] = problems({ region: "us-east-9" });
      expect(e.key).toBe("region");
      expect(e.fix).toMatch(/src\/lib\/regions.ts/);
    });

    it("a project name longer than derived AWS names allow", () => {
      const [e] = problems({ project: "a-very-long-project-name-that-overflows" });
      expect(e.key).toBe("project");
      expect(e.problem).toMatch(/at most 24 characters/);
    });

    it("a project name with two dashes in a row, which RDS and ElastiCache identifiers (named after it) refuse", () => {
      const [e] = problems({ project: "due--win" });
      expect(e.key).toBe("project");
      expect(e.problem).toMatch(/single dashes/);
      expect(resolveSystemConfig("prod", preset, inputs("prod"), { project: "due-win" }).project).toBe("due-win");
    });

    it("a table index that gives a key attribute another type, under the table's key", () => {
      const [e] = problems({ storage: { tables: { main: { partitionKey: { name: "PK" }, globalSecondaryIndexes: { GSI1: { partitionKey: { name: "PK", type: "N" } } } } } } });
      expect(e.key).toBe("storage.tables.main.globalSecondaryIndexes.GSI1.partitionKey.type");
      expect(e.problem).toMatch(/another type than its other key \(S\)/);
    });

    it("an unknown environment", () => {
      const [e] = problems({}, "qa");
      expect(e.key).toBe("environment");
      expect(e.value).toBe("qa");
      expect(e.fix).toMatch(/dev, staging, prod/);
    });

    it("a misspelled key, suggesting the right one", () => {
      const [e] = problems({ network: { ciddr: "10.0.0.0/16" } } as never);
      expect(e.key).toBe("network.ciddr");
      expect(e.problem).toBe("is not a known setting");
      expect(e.fix).toMatch(/did you mean "cidr"/);
    });

    it("a key beside a subnet tier's own, listing the keys of both forms of tier", () => {
      const [e] = problems({ network: { privateSubnets: { prefixLength: 24, prefixLenght: 20 } } } as never);
      expect([e.key, e.fix]).toEqual(["network.privateSubnets.prefixLenght", 'did you mean "prefixLength"? Known keys: prefixLength, cidrs']);
    });

    it("a value of the wrong type", () => {
      const [e] = problems({ network: { azs: "us-east-1a" } } as never);
      expect(e.key).toBe("network.azs");
      expect(e.problem).toBe("must be an array");
    });

    it("an infinite or unsupported log retention", () => {
      const [e] = problems({ network: { flowLogs: { retentionInDays: 0 } } } as never);
      expect(e.key).toBe("network.flowLogs.retentionInDays");
      expect(e.problem).toMatch(/CloudWatch retention periods/);
    });

    it("an unknown NAT mode, listing the accepted ones", () => {
      const [e] = problems({ network: { natGateways: "none" } } as never);
      expect(e.fix).toBe('use one of "one_per_az", "single"');
    });
  });

  it("reports every schema problem at once", () => {
    expect(problems({ region: 5, network: { cidr: 1 } } as never).map((e) => e.key)).toEqual(["region", "network.cidr"]);
  });

  it("reports problems across keys together with schema problems, and every independent one", () => {
    const found = problems({
      network: { natGateways: "many", cidr: "10.0.0.1/16" },
      tags: { ManagedBy: "terraform" },
      backend: { type: "s3", bucket: "b" },
      flavour: 1,
    } as never);
    expect(found.map((e) => e.key).sort()).toEqual(["backend.bucket", "flavour", "network.cidr", "network.natGateways", "tags.ManagedBy"]);
  });

  it.each(["Project", "Environment", "ManagedBy"])("refuses the reserved tag %s instead of replacing it silently", (key) => {
    const [e] = problems({ tags: { [key]: "mine", Team: "payments" } });
    expect(e.key).toBe(`tags.${key}`);
    expect(e.value).toBe("mine");
    expect(e.problem).toMatch(/a tag this project sets on every resource/);
    expect(e.fix).toMatch(/remove it, or use a tag key of your own/);
  });

  it("accepts tags of the user's own", () => {
    expect(resolveSystemConfig("dev", preset, { tags: { Team: "payments", project: "lower-case is another key" } }).tags.Team).toBe("payments");
  });
});

describe("Naming", () => {
  it("prefixes names with project and environment", () => {
    expect(new Naming("muejam", "prod").name("loadBalancer", "alb")).toBe("muejam-prod-alb");
  });

  it("rejects a derived name longer than AWS allows, naming the project key", () => {
    const naming = new Naming("duewin-backend-platform", "staging");
    expect(() => naming.name("targetGroup", "api-blue")).toThrow(ConfigError);
    expect(() => naming.name("targetGroup", "api-blue")).toThrow(/targetGroup name "duewin-backend-platform-staging-api-blue" 40 characters long; AWS allows 32/);
  });
});

describe("Naming: prefixes AWS reserves", () => {
  it("refuses a load balancer name starting with internal-, naming the project key", () => {
    expect(() => new Naming("internal", "dev").name("loadBalancer", "alb")).toThrow(/project = "internal"[\s\S]*"internal-dev-alb"[\s\S]*starts with "internal-"[\s\S]*other than "internal"/);
    expect(new Naming("internal", "dev").name("targetGroup", "app")).toBe("internal-dev-app");
    expect(new Naming("internals", "dev").name("loadBalancer", "alb")).toBe("internals-dev-alb");
  });

  it("refuses such a name given to a load balancer construct, naming its prop", () => {
    expect(() => checkName("loadBalancer", "internal-web", "name")).toThrow(/name = "internal-web"[\s\S]*starts with "internal-"/);
  });
});

describe("selectionFromEnv", () => {
  const systems = ["muejam", "ode"];

  it("defaults to every system in dev", () => {
    expect(selectionFromEnv({}, systems)).toEqual({ systems, environments: ["dev"], configFile: undefined });
  });

  it("reads comma-separated lists", () => {
    const s = selectionFromEnv({ INFRA_SYSTEMS: " ode ", INFRA_ENVIRONMENTS: "dev,prod", INFRA_CONFIG: "x.json" }, systems);
    expect(s).toEqual({ systems: ["ode"], environments: ["dev", "prod"], configFile: "x.json" });
  });

  it("rejects an unknown environment", () => {
    expect(() => selectionFromEnv({ INFRA_ENVIRONMENTS: "dev,qa" }, systems)).toThrow(/INFRA_ENVIRONMENTS = "dev,qa"[\s\S]*names "qa", which is not a known environment/);
  });

  it("rejects an unknown system", () => {
    expect(() => selectionFromEnv({ INFRA_SYSTEMS: "odee" }, systems)).toThrow(/not a known system[\s\S]*muejam, ode/);
  });
});

describe("checkOverrides", () => {
  it("accepts settings by system and environment", () => {
    expect(checkOverrides({ ode: { all: { region: "eu-west-1" }, prod: {} } }, ["ode"])).toBeDefined();
  });

  it.each([
    [[], /must be a JSON object keyed by system name/],
    [{ odd: {} }, /odd = \{\}[\s\S]*not a known system/],
    [{ ode: { qa: {} } }, /ode.qa = \{\}[\s\S]*not a known environment/],
    [{ ode: { prod: 3 } }, /must be an object of settings/],
  ])("rejects %j", (data, message) => {
    expect(() => checkOverrides(data, ["ode"], "INFRA_CONFIG")).toThrow(message);
  });
});
