// PostHog's bucketing hash: int(first 15 hex digits of SHA1("{key}.{id}{salt}"), 16) divided by
// float(0xFFFFFFFFFFFFFFF), in [0, 1].
//
// Why OpenSSL's low-level SHA1_Init/Update/Final and not EVP: measured with
// bench/flag_eval_bench.cc (BM_Sha1_*, BM_BucketHash; Release, 2.1 GHz VM, median of 10), per
// hash of a ~25-byte input:
//   EVP_Digest(EVP_sha1()) one-shot, implicit fetch each call   ~560 ns
//   fetched EVP_MD, new EVP_MD_CTX per hash                      ~270 ns
//   fetched EVP_MD, one EVP_MD_CTX reused                        ~180 ns
//   SHA1_Init/Update/Final on a stack SHA_CTX (this file)         ~90 ns
// The EVP paths go through provider dispatch and heap contexts; with them one flag evaluation
// alone misses its 300 ns budget. The low-level calls are deprecated in OpenSSL 3 but present
// in every 3.x (Debian 12 ships 3.0); this file is the only place that would change.
// The input is fed in pieces, so "{key}.{id}{salt}" is never concatenated, and nothing is
// allocated or shared: the function is pure and thread-safe.
#pragma once

#include <string_view>

namespace switchyard::core {

double PostHogHash(std::string_view key, std::string_view id, std::string_view salt);

}  // namespace switchyard::core
