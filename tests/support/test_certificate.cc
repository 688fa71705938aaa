#include "support/test_certificate.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace switchyard::testing {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

void Check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("OpenSSL failed to ") + what);
}

void AddExtension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  Check(extension != nullptr, "build a certificate extension");
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

std::string Drain(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

TestCertificate MakeSelfSignedCertificate(const std::vector<std::string>& subject_alt_names) {
  KeyPtr key(EVP_EC_gen("P-256"));
  Check(key != nullptr, "generate a key");
  CertPtr cert(X509_new());
  Check(cert != nullptr, "allocate a certificate");
  X509_set_version(cert.get(), 2);
  std::random_device random;
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(random() & 0x7fffffff));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 7 * 24 * 3600);
  Check(X509_set_pubkey(cert.get(), key.get()) == 1, "set the public key");
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("switchyard test CA"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  AddExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign");
  std::string alt_names;
  for (const auto& entry : subject_alt_names) alt_names += (alt_names.empty() ? "" : ",") + entry;
  if (!alt_names.empty()) AddExtension(cert.get(), NID_subject_alt_name, alt_names);
  Check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "sign the certificate");

  TestCertificate out;
  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  Check(PEM_write_bio_X509(cert_bio.get(), cert.get()) == 1, "write the certificate");
  out.cert_pem = Drain(cert_bio.get());
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  Check(PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "write the key");
  out.key_pem = Drain(key_bio.get());
  return out;
}

std::string WriteTempFile(const std::string& name_prefix, const std::string& text) {
  std::random_device random;
  auto path = std::filesystem::temp_directory_path() /
              (name_prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(random()) + ".pem");
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

}  // namespace switchyard::testing
