#pragma once
// Test data for real-name verification: valid resident ID numbers for a chosen age, and a face
// "photo" (a JPEG header and random bytes) whose bytes a scan can recognise.
#include <sodium.h>

#include <chrono>
#include <string>

#include "modules/identity/resident_id.hpp"

namespace veil::test {

// A valid ID number (Beijing, Chaoyang) for someone `years` old today, born on the 1st of this
// month, with sequence `seq` (000–999).
inline std::string resident_id_aged(int years, int seq = 123) {
  auto today = std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  char first17[32];
  std::snprintf(first17, sizeof first17, "110105%04d%02u01%03d", static_cast<int>(today.year()) - years,
                static_cast<unsigned>(today.month()), seq);
  return std::string(first17) + identity::resident_id_check_character(first17);
}

struct FacePhoto {
  std::string bytes;   // what the camera produced
  std::string base64;  // what the browser sends
};

inline FacePhoto face_photo(std::size_t size = 6000) {
  FacePhoto p;
  p.bytes.resize(size);
  randombytes_buf(p.bytes.data(), p.bytes.size());
  p.bytes[0] = '\xFF', p.bytes[1] = '\xD8', p.bytes[2] = '\xFF', p.bytes[3] = '\xE0';
  p.base64.resize(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL));
  sodium_bin2base64(p.base64.data(), p.base64.size(), reinterpret_cast<const unsigned char*>(p.bytes.data()), size,
                    sodium_base64_VARIANT_ORIGINAL);
  p.base64.pop_back();
  return p;
}

}  // namespace veil::test
