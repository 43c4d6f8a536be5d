import { blocksFromAttribute, repairHcl } from "../../src/lib/hcl-output";

describe("repairHcl (cdktf synth --hcl)", () => {
  const broken = [
    "terraform {",
    "  required_providers {",
    '    aws = { version = "5.100.0", source = "aws" }',
    "  }",
    "",
    '  0 = "required_version"',
    "}",
    'resource "aws_db_instance" "rds" {',
    "  depends_on = [",
    '    "aws_cloudwatch_log_group.rds_log_postgresql",',
    '    "aws_cloudwatch_log_group.rds_log_upgrade",',
    "  ]",
    "}",
  ].join("\n");

  it("renders the terraform block's required_version by name and value", () => {
    const fixed = repairHcl(broken, { required_version: ">= 1.10.0, < 2.0.0" });
    expect(fixed).toContain('  required_version = ">= 1.10.0, < 2.0.0"\n}');
    expect(fixed).not.toMatch(/^\s*\d+ = /m);
  });

  it("writes depends_on entries as references, not quoted strings", () => {
    const fixed = repairHcl(broken, { required_version: ">= 1.10.0" });
    expect(fixed).toContain("  depends_on = [\n    aws_cloudwatch_log_group.rds_log_postgresql,\n    aws_cloudwatch_log_group.rds_log_upgrade,\n  ]");
  });

  it("writes the lifecycle's replace_triggered_by and ignore_changes entries as references", () => {
    const lifecycle = ['resource "aws_secretsmanager_secret_version" "url" {', "lifecycle {", "replace_triggered_by = [", '"terraform_data.password",', '"aws_elasticache_replication_group.redis.primary_endpoint_address",', "]", "ignore_changes = [", '"input",', "]", "}", "}"].join("\n");
    const fixed = repairHcl(lifecycle, {});
    expect(fixed).toContain("replace_triggered_by = [\nterraform_data.password,\naws_elasticache_replication_group.redis.primary_endpoint_address,\n]");
    expect(fixed).toContain("ignore_changes = [\ninput,\n]");
  });

  it("fails on a positional attribute whose value it does not know", () => {
    expect(() => repairHcl(broken, {})).toThrow(/"required_version" was rendered without its value/);
  });

  it("leaves correct HCL as it was", () => {
    const good = 'terraform {\n  required_version = ">= 1.10.0"\n}\nlocals {\n  names = ["a", "b"]\n}\n';
    expect(repairHcl(good, { required_version: ">= 1.10.0" })).toBe(good);
  });

  it("renders the locals again from the stack's JSON, whatever cdktf made of them", () => {
    // As cdktf 0.21 renders a boot script's lines: a line "{" and a line with `$${` come out as syntax.
    const mangled = ['resource "aws_vpc" "main" {', 'cidr_block = "10.0.0.0/16"', "}", "locals {", "app_user_data = [", '"#!/bin/bash",', "{,", '"  " InstanceId ": " $ $ { aws : InstanceId } "",', "}", "]", "}", 'output "x" {', 'value = "y"', "}"].join("\n");
    const lines = ["#!/bin/bash", "{", '  "InstanceId": "$${aws:InstanceId}"', "}", "echo 'a\\b'"];
    const fixed = repairHcl(mangled, { required_version: ">= 1.10.0" }, { app_user_data: lines, tags: { Name: "x" } });
    expect(fixed).toBe(
      [
        'resource "aws_vpc" "main" {',
        'cidr_block = "10.0.0.0/16"',
        "}",
        "locals {",
        "  app_user_data = [",
        '    "#!/bin/bash",',
        '    "{",',
        '    "  \\"InstanceId\\": \\"$${aws:InstanceId}\\"",',
        '    "}",',
        '    "echo \'a\\\\b\'",',
        "  ]",
        '  tags = {\n    "Name" = "x"\n  }',
        "}",
        'output "x" {',
        'value = "y"',
        "}",
      ].join("\n"),
    );
  });

  it("refuses a stack with locals whose HCL has no locals block", () => {
    expect(() => repairHcl('output "x" {\nvalue = "y"\n}', {}, { a: "b" })).toThrow(/has locals, but its HCL has no locals block/);
  });

  it("writes a lifecycle's postconditions back as blocks, in any resource", () => {
    const rendered = [
      'resource "aws_subnet" "private_a" {',
      '  availability_zone = "us-east-1a"',
      "  lifecycle {",
      "    postcondition = [",
      "      {",
      '        condition     = "${!contains(["use1-az3"], self.availability_zone_id)}"',
      '        error_message = "${format("%s is zone %s", self.availability_zone, self.availability_zone_id)}"',
      "      },",
      "    ]",
      "  }",
      "}",
    ].join("\n");
    expect(repairHcl(rendered, {})).toBe(
      [
        'resource "aws_subnet" "private_a" {',
        '  availability_zone = "us-east-1a"',
        "  lifecycle {",
        "    postcondition {",
        '      condition     = "${!contains(["use1-az3"], self.availability_zone_id)}"',
        '      error_message = "${format("%s is zone %s", self.availability_zone, self.availability_zone_id)}"',
        "    }",
        "  }",
        "}",
      ].join("\n"),
    );
    // Outside a lifecycle block, an attribute of that name is left alone.
    const attribute = 'resource "x" "y" {\n  postcondition = [\n    {\n      a = 1\n    },\n  ]\n}';
    expect(repairHcl(attribute, {})).toBe(attribute);
  });

  it("writes a WAF web ACL's override rules back as nested blocks, keeping scalars and lists of scalars", () => {
    const rendered = [
      'resource "aws_wafv2_web_acl" "acl" {',
      "  rule = [",
      "    {",
      '      name     = "AWSManagedRulesCommonRuleSet"',
      "      priority = 10",
      "      override_action = {",
      "        none = {",
      "        }",
      "      }",
      "      statement = {",
      "        managed_rule_group_statement = {",
      '          name = "AWSManagedRulesCommonRuleSet"',
      "          rule_action_override = [",
      "            {",
      '              name = "SizeRestrictions_BODY"',
      "              action_to_use = {",
      "                count = {",
      "                }",
      "              }",
      "            },",
      "          ]",
      "        }",
      "      }",
      '      tags = ["a", "b"]',
      "    },",
      "  ]",
      "}",
    ].join("\n");
    // Other resources' attributes of the same name are left alone.
    const other = 'resource "aws_s3_bucket_lifecycle_configuration" "l" {\n  rule = [\n    {\n      id = "x"\n    },\n  ]\n}';
    expect(blocksFromAttribute(other, { aws_wafv2_web_acl: ["rule"] })).toBe(other);
    expect(blocksFromAttribute(rendered, { aws_wafv2_web_acl: ["rule"] })).toBe(
      [
        'resource "aws_wafv2_web_acl" "acl" {',
        "  rule {",
        '    name     = "AWSManagedRulesCommonRuleSet"',
        "    priority = 10",
        "    override_action {",
        "      none {",
        "      }",
        "    }",
        "    statement {",
        "      managed_rule_group_statement {",
        '        name = "AWSManagedRulesCommonRuleSet"',
        "        rule_action_override {",
        '          name = "SizeRestrictions_BODY"',
        "          action_to_use {",
        "            count {",
        "            }",
        "          }",
        "        }",
        "      }",
        "    }",
        '    tags = ["a", "b"]',
        "  }",
        "}",
      ].join("\n"),
    );
  });
});
