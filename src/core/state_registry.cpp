#include "core/state_registry.hpp"

#include <cmath>
#include <cstdio>

#include "neurochem/errors.hpp"

namespace neurochem {

namespace {
std::string format_value(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::string range_text(const Bounds& b) {
    return "[" + format_value(b.min) + ", " + format_value(b.max) + "]";
}

template <class T>
void check_bounds(const StateField& f, std::span<const T> v, std::uint64_t first_index, const StateSource& src) {
    for (std::size_t i = 0; i < v.size(); ++i) {
        const double x = static_cast<double>(v[i]);
        if (!(x >= f.bounds.min && x <= f.bounds.max)) {  // NaN fails both
            throw input_error(src.name() + ": state " + f.path + "[" + std::to_string(first_index + i) + "] = " +
                              format_value(x) + " lies outside its valid range " + range_text(f.bounds) +
                              (f.unit.empty() ? "" : " " + f.unit) +
                              " (a damaged or hand-edited checkpoint).");
        }
    }
}

template <class T>
std::span<T> typed(const StateField& f) {
    return {static_cast<T*>(f.at()), f.count};
}
}  // namespace

void StateRegistry::add(StateField f) {
    for (const auto& g : fields_) {
        if (g.path == f.path) throw internal_error("state " + f.path + " registered twice");
    }
    fields_.push_back(std::move(f));
}

void StateRegistry::add_slice(std::string path, std::span<double> local, std::uint64_t offset,
                              std::uint64_t global, std::string unit, Bounds bounds) {
    add({std::move(path), std::move(unit), StateType::f64, StateLayout::slice, local.data(), local.size(), offset,
         global, bounds, {}, {}, {}});
}
void StateRegistry::add_slice(std::string path, std::span<std::uint64_t> local, std::uint64_t offset,
                              std::uint64_t global, std::string unit, Bounds bounds) {
    add({std::move(path), std::move(unit), StateType::u64, StateLayout::slice, local.data(), local.size(), offset,
         global, bounds, {}, {}, {}});
}
void StateRegistry::add_slice(std::string path, std::span<std::int32_t> local, std::uint64_t offset,
                              std::uint64_t global, std::string unit, Bounds bounds) {
    add({std::move(path), std::move(unit), StateType::i32, StateLayout::slice, local.data(), local.size(), offset,
         global, bounds, {}, {}, {}});
}
void StateRegistry::add_shared(std::string path, std::span<double> values, std::string unit, Bounds bounds) {
    add({std::move(path), std::move(unit), StateType::f64, StateLayout::shared, values.data(), values.size(), 0,
         values.size(), bounds, {}, {}, {}});
}
void StateRegistry::add_shared(std::string path, std::span<std::uint64_t> values, std::string unit,
                               Bounds bounds) {
    add({std::move(path), std::move(unit), StateType::u64, StateLayout::shared, values.data(), values.size(), 0,
         values.size(), bounds, {}, {}, {}});
}
void StateRegistry::add_shared(std::string path, std::vector<double>& values, std::string unit, Bounds bounds) {
    StateField f{std::move(path), std::move(unit), StateType::f64, StateLayout::shared, nullptr, values.size(), 0,
                 values.size(), bounds, {}, {}, {}};
    f.where = [&values] { return static_cast<void*>(values.data()); };
    add(std::move(f));
}
void StateRegistry::add_shared(std::string path, std::vector<std::uint64_t>& values, std::string unit,
                               Bounds bounds) {
    StateField f{std::move(path), std::move(unit), StateType::u64, StateLayout::shared, nullptr, values.size(), 0,
                 values.size(), bounds, {}, {}, {}};
    f.where = [&values] { return static_cast<void*>(values.data()); };
    add(std::move(f));
}
void StateRegistry::add_slice(std::string path, std::vector<double>& local, std::uint64_t offset,
                              std::uint64_t global, std::string unit, Bounds bounds) {
    StateField f{std::move(path), std::move(unit), StateType::f64, StateLayout::slice, nullptr, local.size(), offset,
                 global, bounds, {}, {}, {}};
    f.where = [&local] { return static_cast<void*>(local.data()); };
    add(std::move(f));
}
void StateRegistry::add_scalar(std::string path, double& value, std::string unit, Bounds bounds) {
    add({std::move(path), std::move(unit), StateType::f64, StateLayout::scalar, &value, 1, 0, 1, bounds, {}, {}, {}});
}
void StateRegistry::add_scalar(std::string path, std::uint64_t& value, std::string unit, Bounds bounds) {
    add({std::move(path), std::move(unit), StateType::u64, StateLayout::scalar, &value, 1, 0, 1, bounds, {}, {}, {}});
}
void StateRegistry::add_custom(std::string path, std::function<void(StateSink&)> save,
                               std::function<void(StateSource&)> load) {
    add({std::move(path), "", StateType::f64, StateLayout::custom, nullptr, 0, 0, 0, {}, std::move(save),
         std::move(load), {}});
}

void StateRegistry::save(StateSink& sink) const {
    for (const auto& f : fields_) {
        switch (f.layout) {
            case StateLayout::custom: f.save(sink); break;
            case StateLayout::scalar:
                if (f.type == StateType::u64) {
                    sink.write_value(f.path, *static_cast<const std::uint64_t*>(f.at()));
                } else {
                    sink.write_scalar(f.path, *static_cast<const double*>(f.at()));
                }
                break;
            case StateLayout::slice:
            case StateLayout::shared: {
                const bool mine = f.layout == StateLayout::slice || root_;
                const std::size_t n = mine ? f.count : 0;
                switch (f.type) {
                    case StateType::f64:
                        sink.write(f.path, std::span<const double>(static_cast<const double*>(f.at()), n), f.offset,
                                   f.global_count);
                        break;
                    case StateType::u64:
                        sink.write(f.path, std::span<const std::uint64_t>(static_cast<const std::uint64_t*>(f.at()), n),
                                   f.offset, f.global_count);
                        break;
                    case StateType::i32:
                        sink.write(f.path, std::span<const std::int32_t>(static_cast<const std::int32_t*>(f.at()), n),
                                   f.offset, f.global_count);
                        break;
                }
                break;
            }
        }
    }
}

void StateRegistry::load(StateSource& source) {
    for (const auto& f : fields_) {
        switch (f.layout) {
            case StateLayout::custom: f.load(source); break;
            case StateLayout::scalar:
                if (f.type == StateType::u64) {
                    *static_cast<std::uint64_t*>(f.data) = source.read_value(f.path);
                    check_bounds(f, std::span<const std::uint64_t>(static_cast<std::uint64_t*>(f.data), 1), 0, source);
                } else {
                    *static_cast<double*>(f.data) = source.read_scalar(f.path);
                    check_bounds(f, std::span<const double>(static_cast<double*>(f.data), 1), 0, source);
                }
                break;
            case StateLayout::slice:
            case StateLayout::shared:
                switch (f.type) {
                    case StateType::f64: {
                        const auto v = typed<double>(f);
                        source.read(f.path, v, f.offset, f.global_count);
                        check_bounds(f, std::span<const double>(v), f.offset, source);
                        break;
                    }
                    case StateType::u64: {
                        const auto v = typed<std::uint64_t>(f);
                        source.read(f.path, v, f.offset, f.global_count);
                        check_bounds(f, std::span<const std::uint64_t>(v), f.offset, source);
                        break;
                    }
                    case StateType::i32: {
                        const auto v = typed<std::int32_t>(f);
                        source.read(f.path, v, f.offset, f.global_count);
                        check_bounds(f, std::span<const std::int32_t>(v), f.offset, source);
                        break;
                    }
                }
                break;
        }
    }
    for (const auto& f : after_load_) f();
}

const StateField* StateRegistry::find(const std::string& path) const {
    for (const auto& f : fields_) {
        if (f.path == path) return &f;
    }
    return nullptr;
}

}  // namespace neurochem
