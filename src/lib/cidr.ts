import { Address4 } from "ip-address";

/** An IPv4 CIDR block, parsed. Address arithmetic is done on bigints from `ip-address`. */
export interface Cidr {
  /** The canonical text, e.g. `10.0.0.0/16`. */
  readonly text: string;
  /** The prefix length, e.g. 16. */
  readonly prefix: number;
  /** The first address of the block. */
  readonly first: bigint;
  /** The last address of the block. */
  readonly last: bigint;
}

/** Why a text is not a usable CIDR block: a sentence, and the corrected block where one exists. */
export class CidrSyntaxError extends Error {
  constructor(
    message: string,
    public readonly suggestion?: string,
  ) {
    super(message);
    this.name = "CidrSyntaxError";
  }
}

/**
 * Parses an IPv4 CIDR block such as `10.0.0.0/16`. Throws a {@link CidrSyntaxError} when the
 * text is not an address with a `/prefix`, or when host bits are set (`10.0.0.1/16`).
 */
export function parseCidr(text: string): Cidr {
  if (typeof text !== "string" || !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(text)) {
    throw new CidrSyntaxError("is not an IPv4 CIDR block of the form a.b.c.d/n");
  }
  let address: Address4;
  try {
    address = new Address4(text);
  } catch (e) {
    throw new CidrSyntaxError(`is not a valid IPv4 CIDR block (${(e as Error).message.replace(/\.$/, "")})`);
  }
  const start = address.startAddress();
  if (start.bigInt() !== address.bigInt()) {
    const canonical = `${start.correctForm()}/${address.subnetMask}`;
    throw new CidrSyntaxError(`has host bits set`, canonical);
  }
  return fromRange(start.bigInt(), address.subnetMask);
}

/** The `index`-th block of prefix length `prefix` inside `block` (Terraform's `cidrsubnet`). */
export function subnetAt(block: Cidr, prefix: number, index: number): Cidr {
  if (prefix < block.prefix || prefix > 32) {
    throw new RangeError(`prefix /${prefix} cannot be carved out of ${block.text}`);
  }
  const size = blockSize(prefix);
  const first = block.first + BigInt(index) * size;
  if (index < 0 || first + size - 1n > block.last) {
    throw new RangeError(`${block.text} has no block #${index} of size /${prefix}`);
  }
  return fromRange(first, prefix);
}

/** Whether `inner` lies entirely within `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.first >= outer.first && inner.last <= outer.last;
}

/** Whether the two blocks share any address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** The number of addresses in a block of prefix length `prefix`. */
export function blockSize(prefix: number): bigint {
  return 1n << BigInt(32 - prefix);
}

function fromRange(first: bigint, prefix: number): Cidr {
  return {
    text: `${Address4.fromBigInt(first).correctForm()}/${prefix}`,
    prefix,
    first,
    last: first + blockSize(prefix) - 1n,
  };
}
