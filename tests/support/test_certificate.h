// A self-signed certificate made at test time with OpenSSL's API (no key material in the repo):
// its own CA, so a client that trusts it (ca_file) verifies servers that present it.
#pragma once

#include <string>
#include <vector>

namespace switchyard::testing {

struct TestCertificate {
  std::string cert_pem;
  std::string key_pem;
};

// `subject_alt_names` in OpenSSL's config syntax, e.g. {"DNS:localhost", "IP:127.0.0.1"}. Throws
// std::runtime_error if OpenSSL fails.
TestCertificate MakeSelfSignedCertificate(const std::vector<std::string>& subject_alt_names = {
                                              "DNS:localhost", "IP:127.0.0.1"});

// Writes `text` to a new file under the system temp directory; returns its path.
std::string WriteTempFile(const std::string& name_prefix, const std::string& text);

}  // namespace switchyard::testing
