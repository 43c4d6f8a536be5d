/**
 * CloudFront's AWS-managed policies, by name, with the fixed IDs AWS documents for them
 * ("Use managed cache policies", "Use managed origin request policies", "Use managed
 * response headers policies" in the CloudFront Developer Guide). The IDs are the same in
 * every account, so the distribution references them directly: no data-source lookup,
 * which would need AWS credentials at plan time.
 */

/** Managed cache policies: what is in the cache key, and for how long objects stay cached. */
export const MANAGED_CACHE_POLICIES = {
  /** No caching: every request goes to the origin (dynamic content, APIs). */
  CachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  /** Cache key without query strings or cookies; TTL default 1 day, max 1 year; Gzip and Brotli. */
  CachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
  /** As CachingOptimized, without compression. */
  CachingOptimizedForUncompressedObjects: "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",
  /** Honours the origin's Cache-Control headers (TTL default 0), cache key with all cookies. */
  UseOriginCacheControlHeaders: "83da9c7e-98b4-4e11-a168-04f0df8e2c65",
  /** As UseOriginCacheControlHeaders, with all query strings in the cache key. */
  "UseOriginCacheControlHeaders-QueryStrings": "4cc15a8a-d715-48a4-82b8-cc0b614638fe",
} as const;
export type ManagedCachePolicy = keyof typeof MANAGED_CACHE_POLICIES;

/** Managed origin request policies: what CloudFront forwards to the origin beyond the cache key. */
export const MANAGED_ORIGIN_REQUEST_POLICIES = {
  /** Every header (including Host), cookie and query string of the viewer request. */
  AllViewer: "216adef6-5c7f-47e4-b989-5492eafa07d3",
} as const;
export type ManagedOriginRequestPolicy = keyof typeof MANAGED_ORIGIN_REQUEST_POLICIES;

/** Managed response headers policies: headers CloudFront adds to every response. */
export const MANAGED_RESPONSE_HEADERS_POLICIES = {
  /** HSTS (1 year), X-Content-Type-Options nosniff, X-Frame-Options SAMEORIGIN, Referrer-Policy, X-XSS-Protection. */
  SecurityHeadersPolicy: "67f7725c-6f97-4210-82d7-5512b31e9d03",
} as const;
export type ManagedResponseHeadersPolicy = keyof typeof MANAGED_RESPONSE_HEADERS_POLICIES;

/** Cache policies a behaviour to the load balancer (dynamic content) may use. */
export const LOAD_BALANCER_CACHE_POLICIES = ["CachingDisabled", "UseOriginCacheControlHeaders", "UseOriginCacheControlHeaders-QueryStrings"] as const;

/** Cache policies a behaviour to the static-assets bucket may use. */
export const STATIC_ASSETS_CACHE_POLICIES = ["CachingOptimized", "CachingOptimizedForUncompressedObjects", "UseOriginCacheControlHeaders"] as const;
