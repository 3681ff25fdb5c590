#include <cstdlib>

#include "comm/communicator.hpp"

namespace neurochem {

namespace {
class SerialCommunicator final : public Communicator {
public:
    int rank() const override { return 0; }
    int size() const override { return 1; }
    std::string name() const override { return "serial"; }
    void gather_spikes(std::span<const Spike> local, std::vector<Spike>& global) override {
        global.assign(local.begin(), local.end());
    }
    void sum(std::span<std::uint64_t>) override {}
    void sum(std::span<std::int64_t>) override {}
    double max(double v) override { return v; }
    std::vector<double> all_values(double v) override { return {v}; }
    void broadcast(std::string&, int) override {}
    void barrier() override {}
    [[noreturn]] void abort(int code) override { std::exit(code); }
    void configure_hdf5_file_access(std::int64_t) const override {}
    void configure_hdf5_transfer(std::int64_t) const override {}
};
}  // namespace

std::shared_ptr<Communicator> make_serial_communicator() {
    return std::make_shared<SerialCommunicator>();
}

}  // namespace neurochem
