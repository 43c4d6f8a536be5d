import { ManagedSecurityGroup } from "../../src/constructs/networking";
import { resourcesOf } from "../harness/synth";
import { synthConstructs } from "../harness/test-stack";

describe("ManagedSecurityGroup", () => {
  const json = synthConstructs((scope) => {
    const alb = new ManagedSecurityGroup(scope, "alb_sg", { groupName: "acme-alb", vpcId: "vpc-1", description: "ALB" });
    const app = new ManagedSecurityGroup(scope, "app_sg", { groupName: "acme-app", vpcId: "vpc-1", description: "App" });
    const db = new ManagedSecurityGroup(scope, "db_sg", { groupName: "acme-db", vpcId: "vpc-1", description: "DB", allowAllOutbound: false });
    alb.allowFrom({ name: "anywhere", cidrBlocks: ["0.0.0.0/0"] }, 443, "HTTPS from anywhere");
    app.allowFrom(alb, 8000, "App port from the ALB");
    db.allowFrom(app, 3306, "MySQL from the app");
    db.allowFrom({ name: "office", cidrBlocks: ["10.1.0.0/24", "10.2.0.0/24"] }, { from: 3306 }, "MySQL from the office");
  });
  const rules = resourcesOf(json, "aws_vpc_security_group_ingress_rule");

  it("keeps its description as created: a change would replace the group, whose fixed name the new one, created first, could not take", () => {
    for (const group of Object.values(resourcesOf(json, "aws_security_group"))) {
      expect(group.lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ["description"] });
    }
  });

  it("writes one ingress rule per peer and port, addressed by what it allows", () => {
    expect(Object.keys(rules).sort()).toEqual([
      "alb_sg_ingress_443_from_anywhere",
      "app_sg_ingress_8000_from_alb_sg",
      "db_sg_ingress_3306_from_app_sg",
      "db_sg_ingress_3306_from_office_1",
      "db_sg_ingress_3306_from_office_2",
    ]);
  });

  it("opens a port only to the named group", () => {
    expect(rules.db_sg_ingress_3306_from_app_sg).toEqual(
      expect.objectContaining({
        security_group_id: "${aws_security_group.db_sg_group.id}",
        referenced_security_group_id: "${aws_security_group.app_sg_group.id}",
        ip_protocol: "tcp",
        from_port: 3306,
        to_port: 3306,
      }),
    );
    expect(rules.db_sg_ingress_3306_from_app_sg).not.toHaveProperty("cidr_ipv4");
  });

  it("allows all outbound traffic unless told not to", () => {
    const egress = resourcesOf(json, "aws_vpc_security_group_egress_rule");
    expect(Object.keys(egress).sort()).toEqual(["alb_sg_egress_all", "app_sg_egress_all"]);
    expect(egress.alb_sg_egress_all).toMatchObject({ ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0" });
  });

  it("rejects ports outside 1-65535", () => {
    expect(() =>
      synthConstructs((scope) => {
        const sg = new ManagedSecurityGroup(scope, "sg", { groupName: "g", vpcId: "vpc-1", description: "d" });
        sg.allowFrom({ name: "x", securityGroupId: "sg-1" }, 70000, "bad");
      }),
    ).toThrow(/port = 70000[\s\S]*use a whole number from 1 to 65535/);
  });
});
