/**
 * The Route 53 hosted zone id of every CloudFront distribution: the `zone_id` of an alias
 * record pointing at one. Route 53 refuses `evaluate_target_health = true` on such an alias
 * (Route 53 API reference, AliasTarget.EvaluateTargetHealth: "You can't set
 * EvaluateTargetHealth to true when the alias target is a CloudFront distribution").
 */
export const CLOUDFRONT_HOSTED_ZONE_ID = "Z2FDTNDATAQYW2";
