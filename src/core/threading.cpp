#include "core/threading.hpp"

#include <omp.h>

#include <algorithm>
#include <string>

#include "neurochem/errors.hpp"

namespace neurochem {

int ThreadTeam::default_size() {
    return std::min(omp_get_max_threads(), omp_get_thread_limit());
}

ThreadTeam::ThreadTeam(int threads)
    : size_(threads > 0 ? threads : default_size()), errors_(static_cast<std::size_t>(size_)) {
    // Every task index needs its own thread (a thread's neurons are its task's); a smaller
    // team from the OpenMP runtime would leave neurons without a thread.
    omp_set_dynamic(0);
    check_size(size_);
}

void ThreadTeam::check_size(int threads) {
    check_size(threads, omp_get_num_procs(), omp_get_thread_limit(), "on this machine");
}

void ThreadTeam::check_size(int threads, int cores, int thread_limit, const std::string& where) {
    if (threads > thread_limit) {
        throw input_error("--threads " + std::to_string(threads) +
                          " is more than the OpenMP thread limit " + std::to_string(thread_limit) +
                          " (OMP_THREAD_LIMIT) " + where +
                          "; ask for fewer threads or raise the limit");
    }
    const int most = std::max(64, 8 * cores);
    if (threads > most) {
        throw input_error(
            "--threads " + std::to_string(threads) + " is more than " + std::to_string(most) +
            " (8 per core, at least 64) " + where + " of " + std::to_string(cores) +
            " cores: each thread takes a share of every population, so threads beyond "
            "the cores only slow a run down; use about one per core");
    }
}

void ThreadTeam::run(const std::function<void(int)>& f) {
    if (size_ == 1) {
        f(0);
        return;
    }
    int team = 0;
#pragma omp parallel num_threads(size_)
    {
        const int i = omp_get_thread_num();
#pragma omp single
        team = omp_get_num_threads();
        // (implicit barrier: every thread sees the team size)
        if (team == size_) {
            try {
                f(i);
            } catch (...) {
                errors_[static_cast<std::size_t>(i)] = std::current_exception();
            }
        }
    }
    if (team != size_) {
        throw internal_error("OpenMP gave " + std::to_string(team) + " threads instead of " +
                             std::to_string(size_) + " (OMP_DYNAMIC or OMP_THREAD_LIMIT?)");
    }
    for (auto& e : errors_) {
        if (e) {
            auto first = e;
            for (auto& other : errors_)
                other = nullptr;
            std::rethrow_exception(first);
        }
    }
}

void ThreadTeam::barrier() const {
    if (size_ > 1) {
#pragma omp barrier
    }
}

}  // namespace neurochem
