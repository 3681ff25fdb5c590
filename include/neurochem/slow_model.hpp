// Slow processes (plain data): equations on the slow clock, driven by the window averages of
// the fast model and writing back into it (docs/model/slow.md).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace neurochem {

/// Homeostatic regulation of a Poisson drive towards a set-point firing rate of a population:
///   d ln g / dt = (target - r) / (target * tau),     drive rate = protocol rate * g,
/// with r the population's mean rate in the window of the slow step (held over the step, so the
/// update is exact: g <- g exp(dt (target - r) / (target tau))), g clipped to [g_min, g_max].
struct DriveHomeostasisSpec {
    std::string name;
    std::string drive;       ///< ModelSpec::poisson name
    std::string population;  ///< whose rate is regulated
    double target_Hz = 1.0;
    double tau_h = 24.0;
    double g_min = 0.0, g_max = std::numeric_limits<double>::infinity();
};

/// The sleep-wake regulation of the limbic circuit ([sleep], docs/model/circuit.md): a
/// homeostatic sleep pressure H (nM; Phillips & Robinson 2007) produced by monoaminergic firing,
///   chi dH/dt = -H + mu Q_m,       Q_m = mean rate of the wake-promoting populations,
/// and a circadian term set the rate of the drives onto the sleep-promoting populations,
///   rate = base + pressure_gain H - circadian_amplitude cos(2 pi (t - circadian_peak)/period).
/// The network's flip-flop decides the state: a slow step is asleep when the sleep-promoting
/// populations' size-weighted mean rate exceeds asleep_above in its window.
struct SleepSpec {
    bool enabled = false;
    /// ModelSpec::poisson names: every drive gets the rate below (e.g. the two VLPO types)
    std::vector<std::string> drives;
    /// The sleep-promoting populations (e.g. the two VLPO types): the network sleeps through a
    /// window when their size-weighted mean rate exceeds asleep_above_Hz.
    std::vector<std::string> sleep_populations;
    std::vector<std::string> wake_populations;  ///< e.g. LC, DRN (pressure_law = rate)
    double asleep_above_Hz = 5.0;
    /// How sleep pressure is produced. rate (Phillips & Robinson 2007):
    ///   chi dH/dt = -H + mu Q_m, Q_m the wake populations' mean window rate;
    /// state (Borbely's process S; Daan, Beersma & Borbely 1984): H relaxes towards awake_level
    /// with chi in an awake window and towards asleep_level with chi_asleep in an asleep one.
    bool pressure_from_state = false;
    double chi_h = 10.8;
    double chi_asleep_h = 10.8;  ///< pressure_law = state
    double mu_nM_s = 3.6;
    double awake_level_nM = 0.0;   ///< pressure_law = state
    double asleep_level_nM = 0.0;  ///< pressure_law = state
    double initial_nM = 10.0;
    double base_rate_Hz = 0.0;
    double pressure_gain_Hz_per_nM = 0.0;
    double circadian_amplitude_Hz = 0.0;
    double circadian_peak_h = 18.0;
    double period_h = 24.0;
    /// Hypothesis (off by default): sleep pressure above pressure_reference inhibits the named
    /// drives (adenosine A1 inhibition of prefrontal input after sleep loss):
    ///   rate x max(0, 1 - pressure_inhibition (H - pressure_reference)+)
    std::vector<std::string> pressure_inhibits;
    /// Hypothesis (off: 1): extracellular clearance (every pool's first-order loss) is faster by
    /// this factor in slow steps that follow an asleep window (Xie et al. 2013; contested:
    /// Miao et al. 2024 Nat Neurosci found no faster clearance asleep).
    double clearance_asleep = 1.0;
    double pressure_reference_nM = 0.0;
    double pressure_inhibition_per_nM = 0.0;
    /// Hypothesis (off: 0): sleep pressure above pressure_reference lowers the capture of new
    /// learning in projections with an early stage (tau_early): the fraction of a window's
    /// weight change that lasts is max(0, 1 - capture_inhibition (H - pressure_reference)+),
    /// H the pressure the window ran with (sleep loss impairs late LTP; Vecsey et al. 2009).
    double capture_inhibition_per_nM = 0.0;
    /// The capture factor at pressure H (1 without the hypothesis).
    double capture(double H_nM) const {
        return std::max(
            0.0, 1.0 - capture_inhibition_per_nM * std::max(0.0, H_nM - pressure_reference_nM));
    }
};

/// Slow regulation of a receptor's coupling, per neuron of a population ([regulation.NAME],
/// docs/model/slow.md). x is the receptor's efficacy (or density) of neuron i:
///   dx/dt = (x0 - x)/recovery + k_i [ up b (x_max - x) - down max(0, o - reference) (x - x_min) ]
/// o: the neuron's window-mean occupancy by the transmitter, b: its window-mean drug-bound
/// fraction (antagonism), x0: the receptor type's initial value, k_i = exp(spread z_i) with z_i
/// standard normal, drawn from (seed, "regulation:NAME", neuron index): neurons regulate at
/// different rates (median 1). Linear in x with the window held: integrated exactly.
struct ReceptorRegulationSpec {
    std::string name;
    std::string population, receptor;
    bool density = false;     ///< regulates density (true) or coupling efficacy (false)
    double reference = 0.0;   ///< occupancy above which the receptor down-regulates
    double down_per_h = 0.0;  ///< per unit of occupancy above the reference
    double up_per_h = 0.0;    ///< per unit of drug-bound fraction
    double recovery_h = std::numeric_limits<double>::infinity();  ///< back towards x0
    double x_min = 0.0, x_max = std::numeric_limits<double>::infinity();
    double spread = 0.0;           ///< sigma of ln k_i
    double regulated_below = 0.5;  ///< a neuron counts as regulated when x < this x0
};

/// BDNF per neuron of a population ([bdnf.POP], docs/model/slow.md): expression driven by CREB
/// (cAMP and activity, from the window) and by exercise, and the protein that follows it,
///   expression e_i = (basal + creb_gain CREB_i + exercise_gain E) (1 + gsk3_gain o_GSK3)
///   E = 1 in exercise sessions; o_GSK3 the drugs' occupancy of GSK-3 (lithium)
///   dB_i/dt = (e_i - B_i) / tau
/// (relative units: 1 is the untreated level the config is calibrated to).
struct BdnfSpec {
    std::string population;
    double basal = 1.0;
    double creb_gain = 0.0;
    double exercise_gain = 0.0;
    double gsk3_gain = 0.0;
    double tau_h = 96.0;
    double initial = 1.0;
    /// BDNF/TrkB gating of plasticity: the learning rate of each three-factor projection named
    /// here is multiplied by (mean protein)^gate_exponent, so the untreated level (1) leaves it
    /// unchanged (docs/model/slow.md, "BDNF gates extinction learning").
    std::vector<std::string> gates;
    double gate_exponent = 1.0;
};

/// Adult neurogenesis in a pool of newborn neurons ([neurogenesis.POP], docs/model/slow.md).
/// The pool is allocated at its full size; each neuron i is a slot whose integration w_i in
/// [0, 1] (maturation times survival of its current occupant) scales all its synaptic input by
/// min(1, w_i / integrated_above), so a slot at 0 is silent (no neuron), one above the threshold a
/// mature integrated granule cell:
///   dw_i/dt = k_i S (1 - w_i) / maturation - w_i / turnover,
///   S = (mean BDNF protein of population `bdnf`) (1 + exercise_gain E) (1 + activity_gain r_i),
/// k_i = exp(spread z_i) per slot (seed, "neurogenesis:POP", index), r_i the slot's window rate.
struct NeurogenesisSpec {
    std::string population;
    std::string bdnf;  ///< population whose [bdnf] protein drives survival (empty: S = 1)
    double maturation_h = 6 * 168.0;
    double turnover_h = 4 * 168.0;
    double exercise_gain = 0.0;
    double activity_gain_per_Hz = 0.0;
    double spread = 0.0;
    double initial = 0.4;
    double integrated_above = 0.5;  ///< a slot counts as an integrated neuron when w > this
};

/// Slow regulation of a transporter's density in one uptake ([uptake_regulation.NAME],
/// docs/model/slow.md), e.g. SERT down-regulation under chronic SSRIs: the uptake's Vmax is
/// scaled by x,  dx/dt = (1 - x)/recovery - down o (x - x_min),  o the window-mean drug
/// occupancy of the uptake's transporter.
struct UptakeRegulationSpec {
    std::string name;
    std::string uptake;  ///< "REGION.NAME" of an [uptake.REGION.NAME]
    double down_per_h = 0.0;
    double recovery_h = std::numeric_limits<double>::infinity();
    double x_min = 0.0;
};

/// Homeostatic synaptic scaling of a population's excitatory input ([scaling.POP],
/// docs/model/slow.md; Turrigiano et al. 1998): every excitatory synapse onto the population
/// (the named ports, external drive included) is multiplied by one factor s,
///   d ln s / dt = (target - r) / (target tau),
/// r the population's mean rate in the window of the slow step (held over the step: exact),
/// s clipped to [s_min, s_max]. One factor per population, not per neuron: a window holds about
/// one spike per neuron at forebrain rates, too few to drive a per-neuron rule, and per-neuron
/// set points would flatten the calibrated rate distribution.
/// Options: the set point can be measured instead of given (the mean sensed rate over a
/// baseline [baseline_from, baseline_until), the scaling idle until it ends), and the rate can be
/// sensed in awake windows only (asleep, the scaling pauses: firing-rate homeostasis acts in
/// wake, Hengen et al. 2016 Cell 165:180), so a set point of waking firing is not moved by how
/// long the network sleeps.
struct SynapticScalingSpec {
    std::string population;
    std::vector<std::string> ports;  ///< the population's excitatory input ports
    double target_Hz = 1.0;          ///< the given set point (unused with a baseline)
    double tau_h = 48.0;
    /// Onset time constant of the sensed rate error, hours (0: the error acts at once).
    double onset_h = 0.0;
    double s_min = 0.25, s_max = 4.0;
    /// Set point measured over the slow steps that begin in [baseline_from_h, baseline_until_h)
    /// (calendar hours) when baseline_until_h > 0; the given target_Hz otherwise.
    double baseline_from_h = 0.0, baseline_until_h = 0.0;
    bool awake_only = false;  ///< sense the rate only in windows measured awake ([sleep])
    std::string origin;       ///< where the baseline was declared ("file.ini:12"), for messages
    bool measured_set_point() const { return baseline_until_h > 0; }
};

/// The clinical score and its outcomes ([outcomes], docs/model/outcomes.md). Each calendar day
/// d the course measures five readouts and scores their deviations from a healthy reference:
///   score = 100 max(0, w_A (A/A_ref - 1) + w_C (1 - C/C_ref) + w_B (1 - B/B_ref)
///                      + w_N (1 - N/N_ref) + w_Z (1 - Z/Z_ref))
/// A, C: mean rate (Hz) of the amygdala output and of the prefrontal readout population in the
/// response windows of the day's scoring cues; B: mean BDNF protein; N: mean integration of the
/// newborn pool; Z: hours asleep in the day. The rating is the score of the readouts averaged
/// over the last `rating_days` days; the baseline the score of the readouts averaged over the
/// `baseline_days` after the first `burn_in_days` (not scored). Response: rating <= (1 -
/// response_drop) baseline; remission: rating
/// <= remission_below for remission_days days in a row; relapse (after a remission): rating >=
/// relapse_above for relapse_days days in a row.
struct OutcomeSpec {
    bool enabled = false;
    std::string probe, amygdala, prefrontal;  ///< probe name and two of its readout populations
    double probe_at_h = 13.0;                 ///< time of day of the scoring probe session
    std::string bdnf, neurogenesis;           ///< populations of [bdnf] / [neurogenesis], or ""
    double amygdala_ref = 9.0, prefrontal_ref = 2.0, bdnf_ref = 1.0, neurogenesis_ref = 0.3,
           sleep_ref_h = 8.0;
    double w_amygdala = 0.35, w_prefrontal = 0.2, w_bdnf = 0.15, w_neurogenesis = 0.1,
           w_sleep = 0.2;
    /// Sleep term: w_Z (1 - Z/Z_ref), sleep above the reference lowering the score (false), or
    /// w_Z max(0, 1 - Z/Z_ref), only lost sleep counting (true; `sleep_term = deficit`).
    bool sleep_deficit_only = false;
    std::uint64_t burn_in_days = 0;  ///< first days not scored (initial transients)
    std::uint64_t baseline_days = 7, rating_days = 7, remission_days = 7, relapse_days = 7;
    double response_drop = 0.5;
    double remission_below = 10.0, relapse_above = 20.0;
};

/// Synthesis and breakdown of the serotonin store of the terminals releasing into a pool
/// ([synthesis.NAME], docs/model/slow.md): release per spike into REGION's 5-HT pool is scaled
/// by the store s (1 untreated, relative),
///   ds/dt = (g(T)/g(1) - (m (1 - i) + 1 - m) s) / turnover,   g(T) = T / (T + K),
/// T the tryptophan availability (1 normal), K tryptophan hydroxylase's Km in units of normal
/// brain tryptophan, m the share of breakdown by MAO-A and i the drugs' window-mean occupancy of
/// MAO-A. Linear in s with constant coefficients over a slow step: integrated exactly.
struct SynthesisSpec {
    std::string name;
    std::string region;
    Transmitter transmitter = Transmitter::serotonin;
    double turnover_h = 1.5;
    double mao_share = 0.75;
    double tryptophan = 1.0;
    double TPH_Km = 2.0;
};

/// Tissue inositol of each neuron of a population on the slow clock ([inositol.POP],
/// docs/model/slow.md): the fast model's own inositol equation (docs/model/chemistry.md) with
/// PIP2 and IP1 at their quasi-steady state, so IMPase runs at min(demand, capacity):
///   dn/dt = k_s (1 - n) - max(0, J(n) - V (1 - o)),   J(n) = p k_r n / (k_r n + p),
/// p = k_b + k_q G the neuron's PLC rate at its window-mean Gq activation G, o the drugs'
/// window-mean occupancy of IMPase (lithium, uncompetitive: capacity V / (1 + [Li]/Ki)); rates
/// are the [messengers] ones. The effects of the population's Gq-coupled receptors are scaled by
/// the PLC flux at n relative to n = 1, n (k_r + p) / (k_r n + p), p at the current activation.
struct InositolSpec {
    std::string population;
    double initial = 1.0;  ///< n at t = 0 (relative to the untreated level)
};

struct SlowSpec {
    std::vector<DriveHomeostasisSpec> drive_homeostasis;
    std::vector<SynapticScalingSpec> scaling;
    std::vector<ReceptorRegulationSpec> regulation;
    std::vector<BdnfSpec> bdnf;
    std::vector<NeurogenesisSpec> neurogenesis;
    std::vector<UptakeRegulationSpec> uptake_regulation;
    std::vector<SynthesisSpec> synthesis;
    std::vector<InositolSpec> inositol;
    SleepSpec sleep;
    OutcomeSpec outcomes;
    bool empty() const {
        return drive_homeostasis.empty() && scaling.empty() && regulation.empty() && bdnf.empty() &&
               neurogenesis.empty() && uptake_regulation.empty() && synthesis.empty() &&
               inositol.empty() && !sleep.enabled;
    }
};

}  // namespace neurochem
