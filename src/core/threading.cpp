#include "core/threading.hpp"

#include <omp.h>

namespace neurochem {

ThreadTeam::ThreadTeam(int threads)
    : size_(threads > 0 ? threads : omp_get_max_threads()), errors_(static_cast<std::size_t>(size_)) {}

void ThreadTeam::run(const std::function<void(int)>& f) {
    if (size_ == 1) {
        f(0);
        return;
    }
#pragma omp parallel for schedule(static, 1) num_threads(size_)
    for (int i = 0; i < size_; ++i) {
        try {
            f(i);
        } catch (...) {
            errors_[static_cast<std::size_t>(i)] = std::current_exception();
        }
    }
    for (auto& e : errors_) {
        if (e) {
            auto first = e;
            for (auto& other : errors_) other = nullptr;
            std::rethrow_exception(first);
        }
    }
}

}  // namespace neurochem
