// Warns early when a run's output is on track to outgrow the free space of its file system
// (issue 15: a 2-hour Brunel run wrote ~53 GB without a word). From the growth of the partial
// output file between 1 % of the run and each later whole percent it projects what is still to
// come; once that exceeds the free space it says so on stderr, once. Rank 0 only; never throws.
#pragma once

#include <cstdint>
#include <string>

#include "neurochem/simulation.hpp"

namespace neurochem::app {

class DiskSpaceWatch final : public SimulationObserver {
  public:
    DiskSpaceWatch(std::string file, std::uint64_t total_steps, bool enabled);
    void epoch(const EpochView& view) override;

  private:
    std::string file_;
    std::uint64_t total_;
    bool enabled_;
    bool warned_ = false;
    int next_percent_ = 1;
    double f0_ = -1.0;
    double size0_ = 0.0;
};

}  // namespace neurochem::app
