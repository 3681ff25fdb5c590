// Machine ceilings for spiking-network workloads (docs/performance.md, "Ceiling").
//
//   build/bin/bench_ceiling [--threads N]
//
// 1. Memory bandwidth: STREAM triad a = b + s c on 3 x 128 MiB (GB/s, counting 24 bytes per
//    element, as STREAM does).
// 2. Synaptic-event ceiling: the delivery kernel stripped to its memory traffic. Rows of K
//    ascending random 32-bit target indices (4 bytes streamed per event) each add a constant
//    to a random target in a table of doubles (the ring-buffer slot): ns per event for table
//    footprints from L1 to DRAM. A row per "spike", rows drawn at random from 64 MiB of
//    synapses, so the index stream never sits in cache. K = 1000 (Brunel) and K = 80 (COBA:
//    short rows, where finding the row costs as much as its events).
// 3. Dependent random loads (pointer chase): latency per access at each footprint.
// Each measurement is the best of 5 repetitions. Standard C++ and OpenMP only.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <random>
#include <vector>

namespace {
using Clock = std::chrono::steady_clock;

template <class F>
double best_seconds(F&& f, int reps = 5) {
    double best = 1e300;
    for (int r = 0; r < reps; ++r) {
        const auto t0 = Clock::now();
        f();
        best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
    }
    return best;
}

volatile double sink;

void triad(int threads) {
    const std::size_t n = (128u << 20) / sizeof(double);
    std::vector<double> a(n), b(n, 1.0), c(n, 2.0);
    const double s = 3.0;
    const double t = best_seconds([&] {
#pragma omp parallel for num_threads(threads) schedule(static)
        for (std::size_t i = 0; i < n; ++i) a[i] = b[i] + s * c[i];
    });
    sink = a[n / 2];
    std::printf("triad            %d thread(s): %6.1f GB/s\n", threads, 24.0 * static_cast<double>(n) / t / 1e9);
}

void scatter(int threads, std::size_t K) {
    const std::size_t synapse_bytes = 64u << 20;
    const std::size_t n_rows = synapse_bytes / 4 / K;
    std::printf("scatter-add, rows of %zu sorted random targets, %d thread(s):\n", K, threads);
    for (std::size_t table_bytes : {32u << 10, 256u << 10, 1u << 20, 4u << 20, 32u << 20, 256u << 20}) {
        const std::size_t n_targets = table_bytes / sizeof(double);
        std::vector<std::uint32_t> idx(n_rows * K);
        std::mt19937_64 rng(1);
        for (std::size_t r = 0; r < n_rows; ++r) {
            for (std::size_t k = 0; k < K; ++k) idx[r * K + k] = static_cast<std::uint32_t>(rng() % n_targets);
            std::sort(idx.begin() + static_cast<long>(r * K), idx.begin() + static_cast<long>((r + 1) * K));
        }
        const std::size_t spikes = 20000000 / K;
        std::vector<std::uint32_t> order(spikes);
        for (auto& o : order) o = static_cast<std::uint32_t>(rng() % n_rows);
        // One table per thread (each thread owns its targets, as in the engine).
        std::vector<std::vector<double>> tables(static_cast<std::size_t>(threads), std::vector<double>(n_targets, 0.0));
        const double t = best_seconds([&] {
#pragma omp parallel num_threads(threads)
            {
                double* table = tables[static_cast<std::size_t>(omp_get_thread_num())].data();
                for (std::size_t s = 0; s < spikes; ++s) {
                    const std::uint32_t* row = idx.data() + static_cast<std::size_t>(order[s]) * K;
                    for (std::size_t k = 0; k < K; ++k) table[row[k]] += 0.1;
                }
            }
        });
        sink = tables[0][1];
        const double events = static_cast<double>(spikes * K) * threads;
        std::printf("  table %8zu KiB: %6.2f ns/event per thread, %7.3g events/s in total\n", table_bytes >> 10,
                    t / (static_cast<double>(spikes * K)) * 1e9, events / t);
    }
}

void chase() {
    std::printf("dependent random loads (pointer chase), 1 thread:\n");
    for (std::size_t bytes : {32u << 10, 256u << 10, 1u << 20, 4u << 20, 32u << 20, 256u << 20}) {
        const std::size_t n = bytes / sizeof(std::uint64_t);
        std::vector<std::uint64_t> perm(n), next(n);
        std::iota(perm.begin(), perm.end(), 0);
        std::shuffle(perm.begin(), perm.end(), std::mt19937_64(2));
        for (std::size_t i = 0; i < n; ++i) next[perm[i]] = perm[(i + 1) % n];
        const std::size_t steps = 4000000;
        std::uint64_t p = 0;
        const double t = best_seconds([&] {
            for (std::size_t s = 0; s < steps; ++s) p = next[p];
        }, 3);
        sink = static_cast<double>(p);
        std::printf("  %8zu KiB: %6.2f ns/load\n", bytes >> 10, t / steps * 1e9);
    }
}
}  // namespace

int main(int argc, char** argv) {
    int threads = 1;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) {
            threads = std::atoi(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: %s [--threads N]\n", argv[0]);
            return 2;
        }
    }
    if (threads < 1) {
        std::fprintf(stderr, "--threads must be >= 1\n");
        return 2;
    }
    triad(1);
    if (threads > 1) triad(threads);
    for (const std::size_t K : {1000, 80}) {
        scatter(1, K);
        if (threads > 1) scatter(threads, K);
    }
    chase();
    return 0;
}
