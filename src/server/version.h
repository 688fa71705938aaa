#pragma once

namespace switchyard::server {

inline constexpr char kVersion[] = "0.1.0";

}  // namespace switchyard::server
