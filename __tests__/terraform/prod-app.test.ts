import { SYSTEMS } from "../../src/systems";
import { describeStackProofs } from "../harness/stack-proofs";

// Every system in prod: NAT per AZ, longer retention, deletion protection. The dev run
// validates the same constructs on their own rung; here `terraform plan` validates.
describeStackProofs("prod app", { systems: Object.keys(SYSTEMS), environments: ["prod"] }, { validate: false });
