import { algoitny } from "./algoitny";
import { duewin } from "./duewin";
import { joblet } from "./joblet";
import { muejam } from "./muejam";
import { ode } from "./ode";
import { SystemDefinition } from "./system";

export * from "./system";

/** The five documented systems, by name. */
export const SYSTEMS: Readonly<Record<string, SystemDefinition>> = { joblet, algoitny, muejam, duewin, ode };
