// The only place that knows about OpenMP. Numerical code receives an index range and never
// sees a pragma. Each task index is run by one thread; an exception thrown by any task is
// captured and rethrown on the calling thread after the parallel region (the first by index).
#pragma once

#include <exception>
#include <functional>
#include <string>
#include <vector>

namespace neurochem {

class ThreadTeam {
  public:
    /// threads <= 0 selects the OpenMP default (OMP_NUM_THREADS or the number of cores, at most
    /// OMP_THREAD_LIMIT). The team always has exactly this size (OMP_DYNAMIC is switched off;
    /// more threads than OMP_THREAD_LIMIT is an input_error). Not for use inside another
    /// parallel region: run() throws internal_error if OpenMP gives a smaller team.
    explicit ThreadTeam(int threads);
    int size() const { return size_; }
    /// The OpenMP default: OMP_NUM_THREADS or the number of cores, at most OMP_THREAD_LIMIT.
    static int default_size();
    /// Throws input_error when `threads` cannot be a team: above OMP_THREAD_LIMIT, or above 8
    /// per core of this machine (at least 64), where a team would only thrash (and 10^5
    /// threads exhaust the process).
    static void check_size(int threads);
    /// The same with the limits given: `cores` and `thread_limit` of the smallest node of a
    /// job, so every MPI rank takes the same decision (`where` names it in the message).
    static void check_size(int threads, int cores, int thread_limit, const std::string& where);

    /// Runs f(0) ... f(size()-1), task i on thread i (so data first touched by task i stays
    /// near thread i). Not reentrant.
    void run(const std::function<void(int)>& f);

    /// Inside run(): waits until every task of the team has reached this call. Every task
    /// must call it the same number of times.
    void barrier() const;

  private:
    int size_;
    std::vector<std::exception_ptr> errors_;
};

}  // namespace neurochem
