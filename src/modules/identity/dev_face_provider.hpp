#pragma once
// The development face provider: it compares nothing and says every well-formed photo matches,
// so a development deployment can exercise real-name verification without a contract with a
// verification service. `veil serve` warns at start while it is configured. It keeps nothing.
#include "modules/identity/face_provider.hpp"

namespace veil::identity {

class DevFaceProvider final : public FaceProvider {
 public:
  Result<bool> matches(const FaceClaim&) override { return true; }
};

}  // namespace veil::identity
