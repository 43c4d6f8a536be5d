import { SYSTEMS } from "../../src/systems";
import { describeStackProofs } from "../harness/stack-proofs";

// Every system in prod: NAT per AZ, longer retention, deletion protection.
describeStackProofs("prod app", { systems: Object.keys(SYSTEMS), environments: ["prod"] });
