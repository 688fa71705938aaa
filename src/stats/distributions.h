// Boost.Math distributions that never throw: a domain error or overflow yields NaN or infinity
// instead of an exception (the library promises none across its API), and callers check results
// with std::isfinite where an input could still reach such an edge.
#pragma once

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/policies/policy.hpp>

namespace switchyard::stats {

namespace policies = boost::math::policies;
using NoThrow = policies::policy<
    policies::domain_error<policies::ignore_error>, policies::overflow_error<policies::ignore_error>,
    policies::underflow_error<policies::ignore_error>, policies::pole_error<policies::ignore_error>,
    policies::evaluation_error<policies::ignore_error>, policies::rounding_error<policies::ignore_error>>;

using Normal = boost::math::normal_distribution<double, NoThrow>;
using StudentsT = boost::math::students_t_distribution<double, NoThrow>;
using ChiSquared = boost::math::chi_squared_distribution<double, NoThrow>;

// z such that P(Z <= z) = p.
inline double NormalQuantile(double p) {
  return boost::math::quantile(Normal(), p);
}
inline double NormalCdf(double z) {
  return boost::math::cdf(Normal(), z);
}
inline double NormalPdf(double z) {
  return boost::math::pdf(Normal(), z);
}

}  // namespace switchyard::stats
