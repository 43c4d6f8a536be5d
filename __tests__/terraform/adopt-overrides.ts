import { Overrides } from "../../src/config/overrides";

/**
 * The INFRA_CONFIG a team sets so that MueJam's stacks take the values of its hand-written
 * Terraform (tests/fixtures/adopt/muejam-handmade) that AWS can't change in place: subnet
 * CIDRs (the project's own keys), the target group's name (its own key), and under `adopted`
 * the names the project derives (docs/adopt.md lists them). A security group keeps the
 * description it has: the stacks ignore changes to it.
 */
export const ADOPTION_OVERRIDES: Overrides = {
  muejam: {
    prod: {
      network: {
        publicSubnets: { cidrs: { "us-east-1a": "10.0.1.0/24", "us-east-1b": "10.0.2.0/24", "us-east-1c": "10.0.3.0/24" } },
        privateSubnets: { cidrs: { "us-east-1a": "10.0.11.0/24", "us-east-1b": "10.0.12.0/24", "us-east-1c": "10.0.13.0/24" } },
      },
      compute: { services: { app: { targetGroup: { name: "muejam-prod-tg" } } } },
      adopted: {
        compute: {
          "aws_security_group.alb_sg_group": { name: "muejam-prod-alb-sg" },
          "aws_security_group.app_sg_group": { name: "muejam-prod-app-sg" },
          "aws_iam_role.app_instance_role": { name: "muejam-prod-ec2-role" },
          "aws_iam_instance_profile.app_instance_instance_profile": { name: "muejam-prod-ec2-profile" },
          "aws_launch_template.app_launch_template": { name: "muejam-prod-lt" },
          "aws_autoscaling_group.app_asg": { name: "muejam-prod-asg" },
          "aws_autoscaling_policy.app_scale_out": { name: "muejam-prod-scale-up" },
          "aws_autoscaling_policy.app_scale_in": { name: "muejam-prod-scale-down" },
          "aws_cloudwatch_metric_alarm.app_scale_out_alarm": { alarm_name: "muejam-prod-cpu-high" },
          "aws_cloudwatch_metric_alarm.app_scale_in_alarm": { alarm_name: "muejam-prod-cpu-low" },
        },
      },
    },
  },
} as Overrides;
