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
    void barrier() override {}
};
}  // namespace

std::shared_ptr<Communicator> make_serial_communicator() {
    return std::make_shared<SerialCommunicator>();
}

}  // namespace neurochem
