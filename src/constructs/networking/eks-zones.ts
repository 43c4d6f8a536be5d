import { Fn, Op, Postcondition, TerraformSelf } from "cdktf";
import { EKS_REFUSED_ZONE_IDS } from "../../lib/regions";

/**
 * The check an EKS cluster's subnet carries in a region with zones EKS refuses: once AWS has
 * created the subnet, its zone id (which synth cannot know: zone names map to ids per account)
 * must not be one of them. Otherwise the network stack's apply stops there, naming the zone,
 * before the data stack places a database in the subnet and the EKS stack's `CreateCluster`
 * fails, when changing `network.azs` would mean moving that database.
 */
export function eksZonePostconditions(region: string): Postcondition[] | undefined {
  const refused = EKS_REFUSED_ZONE_IDS[region];
  if (!refused) return undefined;
  const zoneId = TerraformSelf.getString("availability_zone_id");
  const message =
    `%s is zone %s in this account, where EKS creates no cluster (it refuses control-plane subnets in ${refused.join(", ")}). ` +
    `Set network.azs to zones of other ids (aws ec2 describe-availability-zones --region ${region} --query 'AvailabilityZones[].[ZoneName,ZoneId]'), ` +
    "then apply this stack again, before any other stack of the system.";
  return [{ condition: Op.not(Fn.contains([...refused], zoneId)), errorMessage: Fn.format(Fn.rawString(message), [TerraformSelf.getString("availability_zone"), zoneId]) }];
}
