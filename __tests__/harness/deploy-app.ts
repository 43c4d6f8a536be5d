import { App, DataResource, TerraformOutput } from "cdktf";
import { resolveSystemConfig } from "../../src/config/resolve";
import { stackBackend } from "../../src/stacks/aws-stack";
import { BaseStack } from "../../src/stacks/base-stack";

/**
 * The app the CLI deploy test gives `cdktf deploy` and `cdktf diff` (its cdktf.json names this
 * file): one stack with the product's S3 backend (`stackBackend`, default locking) and only
 * resources that need no cloud API. The test adds how to reach the loopback S3 server, as a
 * backend override read from DEPLOY_TEST_BACKEND (JSON); DEPLOY_TEST_GREETING changes the
 * resource, so a diff has something to show.
 */
const connection = JSON.parse(process.env.DEPLOY_TEST_BACKEND ?? "{}") as Record<string, unknown>;
const bucket = process.env.DEPLOY_TEST_BUCKET ?? "deploytest-terraform-state";
const config = resolveSystemConfig("dev", { project: "deploytest", region: "us-east-1", backend: { type: "s3", bucket } });

const app = new App({ stackTraces: false });
const name = "deploytest-dev-probe";
const stack = new (class extends BaseStack {})(app, name, stackBackend(config, name));
for (const [key, value] of Object.entries(connection)) stack.backend.addOverride(key, value);
const payload = new DataResource(stack, "payload", { input: { greeting: process.env.DEPLOY_TEST_GREETING ?? "hello" } });
new TerraformOutput(stack, "greeting", { value: payload.output.lookup("greeting") });
app.synth();
