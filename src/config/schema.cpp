#include "config/schema.hpp"

#include <algorithm>

#include "neurochem/chemistry_model.hpp"
#include "util/text.hpp"

namespace neurochem::config {

namespace {
using D = Dimension;
using T = ValueType;
const std::vector<std::string> cond_models = {"lif_coba", "adex_coba"};
const std::vector<std::string> syn_models = {"lif_coba", "lif_cuba_exp", "adex_coba"};
const std::vector<std::string> adex = {"adex_coba"};

KeySpec q(std::string key, D dim, std::string def, std::string doc) {
    KeySpec k;
    k.key = std::move(key);
    k.type = T::quantity;
    k.dim = dim;
    k.default_value = std::move(def);
    k.required = k.default_value.empty();
    k.doc = std::move(doc);
    return k;
}
KeySpec positive(KeySpec k) {
    k.min = 0;
    k.min_exclusive = true;
    return k;
}
KeySpec nonnegative(KeySpec k) {
    k.min = 0;
    return k;
}
KeySpec only(KeySpec k, std::vector<std::string> models) {
    k.only_for = std::move(models);
    return k;
}
KeySpec by_model(KeySpec k, std::map<std::string, std::string> defaults) {
    k.model_defaults = std::move(defaults);
    k.required = false;
    return k;
}
KeySpec typed(std::string key, T type, std::string def, std::string doc) {
    KeySpec k;
    k.key = std::move(key);
    k.type = type;
    k.default_value = std::move(def);
    k.required = k.default_value.empty();
    k.doc = std::move(doc);
    return k;
}
KeySpec dist(std::string key, D dim, std::string def, std::string doc) {
    KeySpec k = q(std::move(key), dim, std::move(def), std::move(doc));
    k.type = T::distribution;
    return k;
}
KeySpec choice(std::string key, std::vector<std::string> choices, std::string def,
               std::string doc) {
    KeySpec k = typed(std::move(key), T::choice, std::move(def), std::move(doc));
    k.choices = std::move(choices);
    return k;
}
KeySpec integer(std::string key, double min, double max, std::string def, std::string doc) {
    KeySpec k = typed(std::move(key), T::integer, std::move(def), std::move(doc));
    k.min = min;
    k.max = max;
    return k;
}
/// The key's value must lie in [min, max].
KeySpec within(KeySpec k, double min, double max) {
    k.min = min;
    k.max = max;
    return k;
}
/// The key may also be `inf` (with or without a unit).
KeySpec infinite_allowed(KeySpec k) {
    k.allow_infinite = true;
    return k;
}
KeySpec synaptic(KeySpec k) {
    k.synaptic = true;
    return k;
}

std::vector<SectionSpec> build() {
    std::vector<SectionSpec> s;
    s.push_back(
        {"simulation",
         "[simulation]",
         "Time, step and random seed of the run.",
         {nonnegative(q("duration", D::time, "1 s", "simulated time")),
          positive(q("dt", D::time, "0.1 ms", "time step of the neuron update")),
          integer("seed", 0, std::numeric_limits<double>::infinity(), "1",
                  "seed of every random stream (initial state, connectivity, drive)"),
          positive(typed("scale", T::real, "1",
                         "multiplies every population's size; in-degrees and transmitter levels "
                         "are held (docs/user-guide.md, \"Scaling a model\")")),
          choice("weight_precision", {"double", "single"}, "double",
                 "storage of per-synapse weights drawn from a distribution; single "
                 "saves 4 bytes per synapse and rounds the weights"),
          choice("partition", {"per_population", "contiguous"}, "per_population",
                 "division of neurons between MPI ranks: each population evenly over "
                 "all ranks, or the gid range in contiguous blocks (same results)")}});
    s.push_back({"output",
                 "[output]",
                 "What the output file holds.",
                 {typed("spikes", T::boolean, "true", "write spike trains (SONATA layout)"),
                  positive(q("rate_bin", D::time, "1 ms",
                             "bin width of the population rate time series"))}});

    std::vector<KeySpec> pop = {
        choice("model",
               {"lif_coba", "lif_cuba_exp", "lif_cuba_delta", "adex_coba", "poisson_source"}, "",
               "neuron model (docs/model/neurons.md); poisson_source: spike generators at `rate`"),
        integer("size", 1, 4294967295.0, "", "number of neurons"),
        by_model(positive(q("C_m", D::capacitance, "250 pF", "membrane capacitance")),
                 {{"adex_coba", "281 pF"}}),
        by_model(positive(q("tau_m", D::time, "10 ms", "membrane time constant C_m/g_L")),
                 {{"lif_coba", "15 ms"}, {"adex_coba", "9.37 ms"}}),
        by_model(q("E_L", D::voltage, "-70 mV", "leak reversal (resting) potential"),
                 {{"adex_coba", "-70.6 mV"}}),
        by_model(q("V_th", D::voltage, "-55 mV",
                   "spike threshold (adex_coba: V_T, the exponential's midpoint)"),
                 {{"adex_coba", "-50.4 mV"}}),
        by_model(q("V_reset", D::voltage, "-70 mV", "membrane potential after a spike"),
                 {{"lif_coba", "-60 mV"}, {"adex_coba", "-60 mV"}}),
        by_model(nonnegative(q("t_ref", D::time, "2 ms", "absolute refractory period")),
                 {{"adex_coba", "0 ms"}}),
        q("I_e", D::current, "0 pA", "constant external current"),
        dist("V_init", D::voltage, "@E_L", "initial membrane potential (default: E_L)"),
        typed("record_spikes", T::boolean, "true", "write this population's spikes"),
        only(by_model(positive(q("tau_syn_exc", D::time, "2 ms",
                                 "decay time constant of receptor 'exc'")),
                      {{"lif_coba", "0.2 ms"}, {"adex_coba", "0.2 ms"}}),
             syn_models),
        only(positive(q("tau_syn_inh", D::time, "2 ms", "decay time constant of receptor 'inh'")),
             syn_models),
        only(q("E_rev_exc", D::voltage, "0 mV", "reversal potential of receptor 'exc'"),
             cond_models),
        only(q("E_rev_inh", D::voltage, "-85 mV", "reversal potential of receptor 'inh'"),
             cond_models),
        only(synaptic(
                 dist("syn_init_exc", D::none, "0", "initial state of receptor 'exc' (nS or pA)")),
             syn_models),
        only(synaptic(
                 dist("syn_init_inh", D::none, "0", "initial state of receptor 'inh' (nS or pA)")),
             syn_models),
        only(q("a", D::conductance, "4 nS", "subthreshold adaptation"), adex),
        only(q("b", D::current, "80.5 pA", "spike-triggered adaptation increment"), adex),
        only(positive(q("Delta_T", D::voltage, "2 mV", "slope factor of the exponential")), adex),
        only(positive(q("tau_w", D::time, "144 ms", "adaptation time constant")), adex),
        only(q("V_peak", D::voltage, "0 mV", "spike detection potential"), adex),
        only(dist("w_init", D::current, "0 pA", "initial adaptation current"), adex),
        only(nonnegative(
                 q("rate", D::frequency, "", "rate of each independent Poisson spike train")),
             {"poisson_source"}),
        only(nonnegative(
                 typed("ampa_nmda_ratio", T::real, "0",
                       "NMDA conductance following port 'exc' (AMPA): excitation r/(r+1) g_ampa + "
                       "1/(r+1) g_nmda (0: none)")),
             {"lif_coba"}),
        only(positive(q("tau_nmda", D::time, "100 ms",
                        "time constant of the NMDA low-pass of the AMPA conductance")),
             {"lif_coba"}),
        only(nonnegative(
                 q("threshold_jump", D::voltage, "0 mV",
                   "relative refractoriness: the threshold jumps by this at a spike (0: none)")),
             {"lif_coba"}),
        only(positive(
                 q("tau_threshold", D::time, "5 ms", "decay time constant of the threshold jump")),
             {"lif_coba"}),
        typed("region", T::name, "none",
              "brain region (its extracellular pools act on the population's receptors)"),
        typed(
            "expresses", T::name_list, "none",
            "neuromodulator receptor types of every neuron, e.g. 5HT1A, D2 ([receptor_type.NAME])"),
    };
    s.push_back({"population", "[population.NAME]",
                 "A population of identical neurons. Every population has the synaptic input "
                 "ports (receptors) 'exc' and 'inh'; more are declared in [receptor.NAME.PORT].",
                 pop});

    s.push_back(
        {"receptor",
         "[receptor.POPULATION.PORT]",
         "An additional synaptic input port of a population (e.g. NMDA, GABA_B).",
         {only(positive(q("tau_syn", D::time, "", "decay time constant")), syn_models),
          only(q("E_rev", D::voltage, "", "reversal potential"), cond_models),
          only(synaptic(dist("init", D::none, "0", "initial state (nS or pA)")), syn_models)}});

    KeySpec prob =
        within(typed("probability", T::real, "", "connection probability of each pair"), 0, 1);
    s.push_back(
        {"projection",
         "[projection.PRE->POST] or [projection.PRE->POST:LABEL]",
         "Synapses from population PRE onto population POST. Each target's incoming synapses are "
         "drawn from its own random stream, so the network does not depend on the layout.",
         {choice("rule",
                 {"fixed_indegree", "fixed_total_number", "pairwise_bernoulli", "one_to_one",
                  "all_to_all"},
                 "", "connection rule"),
          only(integer("indegree", 0, 4294967295.0, "", "sources per target neuron"),
               {"fixed_indegree"}),
          only(integer("synapses", 0, 1e15, "",
                       "synapses of the projection, each with a uniformly random source and target "
                       "(multapses always allowed)"),
               {"fixed_total_number"}),
          only(prob, {"pairwise_bernoulli"}),
          synaptic(dist("weight", D::none, "",
                        "synaptic weight: nS (conductance models), pA (lif_cuba_exp) or "
                        "mV (lif_cuba_delta)")),
          dist("delay", D::time, "1 ms",
               "transmission delay, rounded to whole steps of at least one step"),
          typed("receptor", T::name, "", "input port of POST: exc, inh or a declared PORT"),
          typed("autapses", T::boolean, "true", "allow connections of a neuron onto itself"),
          only(typed("multapses", T::boolean, "true", "allow repeated (source, target) pairs"),
               {"fixed_indegree"})}});

    KeySpec stop = nonnegative(q("stop", D::time, "inf ms", "time the drive ends"));
    stop.allow_infinite = true;
    s.push_back(
        {"poisson",
         "[poisson.NAME]",
         "Independent Poisson spike trains onto every neuron of a population.",
         {typed("target", T::name, "", "target population"),
          typed("receptor", T::name, "", "input port of the target"),
          nonnegative(q("rate", D::frequency, "", "rate of each source")),
          integer("sources", 1, 4294967295.0, "1", "independent sources per neuron"),
          synaptic(q("weight", D::none, "", "weight of each input spike (nS, pA or mV)")),
          nonnegative(q("start", D::time, "0 ms", "time the drive begins")), stop,
          nonnegative(
              q("pulse_every", D::time, "0 ms",
                "pulsed drive (a cue): a pulse begins every this long from start (0: always on)")),
          nonnegative(
              q("pulse_length", D::time, "0 ms", "length of each pulse (< pulse_every)"))}});

    s.push_back(
        {"probe",
         "[probe.NAME]",
         "Responses of populations to each pulse of a Poisson drive (a cue), against the rate "
         "just before it; written to /probes/NAME (docs/model/circuit.md).",
         {typed("drive", T::name, "", "the [poisson.NAME] whose onsets are the cues"),
          typed("readout", T::name_list, "", "populations whose responses are measured"),
          positive(q("baseline", D::time, "500 ms", "window before each onset (baseline rate)")),
          positive(q("response", D::time, "500 ms", "window from each onset (response)"))}});
    s.push_back(
        {"chemistry",
         "[chemistry]",
         "The chemistry layer: step, reversal potentials of modulated currents, PK body mass. "
         "Present when the model has any pool, release, receptor type or drug.",
         {positive(q("dt", D::time, "1 ms", "chemistry step (a multiple of simulation.dt)")),
          q("E_K", D::voltage, "-90 mV", "reversal potential of GIRK (K+) conductances"),
          q("E_GABA", D::voltage, "-70 mV",
            "reversal potential of tonic GABA_A (Cl-) conductances"),
          positive(q("body_mass", D::mass, "70 kg", "body mass for volumes of distribution")),
          positive(q("trace_interval", D::time, "10 ms",
                     "sampling of chemistry traces in the output"))}});
    s.push_back(
        {"messengers",
         "[messengers]",
         "Second messengers per neuron (dimensionless; docs/model/chemistry.md).",
         {positive(q("cAMP_rate", D::frequency, "0.1 Hz", "relaxation rate of cAMP to its drive")),
          nonnegative(typed("Gs_gain", T::real, "2", "cAMP drive per unit Gs activation")),
          nonnegative(typed("Gi_gain", T::real, "2", "cAMP inhibition per unit Gi activation")),
          nonnegative(q("PLC_basal", D::frequency, "0.001 Hz", "PIP2 hydrolysis rate without Gq")),
          nonnegative(
              q("PLC_Gq", D::frequency, "0.1 Hz", "PIP2 hydrolysis rate per unit Gq activation")),
          positive(q("IP3_decay", D::frequency, "0.14 Hz", "IP3 -> IP1 rate")),
          positive(q("IMPase_Vmax", D::frequency, "0.012 Hz",
                     "IMPase capacity (PIP2-pool units per second)")),
          positive(typed("IMPase_Km", T::real, "0.5", "IMPase Km (IP1, PIP2-pool units)")),
          positive(q("PIP2_resynthesis", D::frequency, "0.01 Hz",
                     "PIP2 resynthesis rate per unit inositol")),
          nonnegative(q("inositol_supply", D::frequency, "0.0001 Hz",
                        "inositol supply (uptake, de novo) rate")),
          nonnegative(q("CREB_on", D::frequency, "0.01 Hz", "CREB activation rate per unit drive")),
          nonnegative(q("CREB_off", D::frequency, "0.005 Hz", "CREB deactivation rate")),
          nonnegative(
              typed("CREB_cAMP_weight", T::real, "1", "CREB drive per unit cAMP above basal")),
          nonnegative(typed("CREB_activity_weight", T::real, "0.1", "CREB drive per Hz of firing")),
          positive(q("activity_tau", D::time, "1 s", "time constant of the firing-rate trace"))}});
    s.push_back({"pool",
                 "[pool.REGION.TRANSMITTER]",
                 "Extracellular pool of 5HT, DA, NE or GABA in a region (well mixed).",
                 {nonnegative(q("initial", D::concentration, "0 uM", "concentration at t = 0")),
                  nonnegative(q("loss", D::frequency, "0 Hz",
                                "first-order loss rate (breakdown, diffusion)"))}});
    s.push_back(
        {"uptake",
         "[uptake.REGION.NAME]",
         "Michaelis-Menten reuptake by a transporter; drugs raise Km by (1 + [I]/Ki).",
         {choice("transporter", {"SERT", "NET", "DAT"}, "", "transporter (what drugs block)"),
          choice("substrate", {"5HT", "DA", "NE", "GABA"}, "", "transmitter taken up"),
          nonnegative(q("Vmax", D::concentration_rate, "", "maximal uptake rate")),
          positive(q("Km", D::concentration, "", "Michaelis constant"))}});
    KeySpec auto_max =
        within(typed("autoreceptor_max", T::real, "0",
                     "terminal autoreceptors (5-HT1B): the largest fraction of release "
                     "they inhibit (0: none)"),
               0, 1);
    s.push_back(
        {"release",
         "[release.POP->REGION] or [release.POP->REGION:LABEL]",
         "Transmitter release into a region's pool by the spikes of a population.",
         {choice("transmitter", {"5HT", "DA", "NE", "GABA"}, "", "transmitter released"),
          nonnegative(q("quantum", D::concentration, "",
                        "rise of the pool if every neuron of POP spiked once (per spike: / size)")),
          auto_max,
          positive(q("autoreceptor_Kd", D::concentration, "0.01 uM",
                     "terminal autoreceptors: the transmitter concentration at half occupancy"))}});
    s.push_back(
        {"receptor_type",
         "[receptor_type.NAME]",
         "A neuromodulator receptor type: ligand, coupling, binding and desensitisation kinetics.",
         {choice("ligand", {"5HT", "DA", "NE", "GABA"}, "", "agonist transmitter"),
          choice("coupling", {"Gs", "Gi", "Gq", "Cl_channel"}, "", "G protein or channel"),
          positive(q("Kd", D::concentration, "", "agonist concentration at half occupancy")),
          positive(q("k_off", D::frequency, "1 Hz", "unbinding rate (k_on = k_off / Kd)")),
          nonnegative(q("k_des", D::frequency, "0 Hz", "desensitisation rate at full occupancy")),
          nonnegative(q("k_res", D::frequency, "0 Hz", "resensitisation rate")),
          nonnegative(typed("density", T::real, "1", "initial relative density per neuron")),
          nonnegative(typed("efficacy", T::real, "1", "initial coupling efficacy per neuron")),
          nonnegative(typed("tau", T::real, "0",
                            "operational-model transducer ratio (receptor reserve) at density = "
                            "efficacy = 1; 0: activation linear in occupancy")),
          positive(typed("slope", T::real, "1", "operational-model slope n (with tau > 0)")),
          choice("antagonist", {"none", "D2", "5HT2A", "alpha1", "5HT1A"}, "none",
                 "drug target whose Ki binds this receptor competitively (an antagonist, or "
                 "an agonist with the drug's efficacy_TARGET)")}});
    KeySpec effect_g =
        only(nonnegative(q("conductance", D::conductance, "", "conductance at activation 1")),
             {"girk", "tonic_gaba"});
    s.push_back(
        {"effect",
         "[effect.POP.RECEPTOR]",
         "What activation of a receptor type does to the neurons of a population.",
         {choice("kind", {"girk", "tonic_gaba", "current", "port_gain"}, "", "kind of effect"),
          effect_g,
          only(q("current", D::current, "", "current at activation 1 (positive depolarises)"),
               {"current"}),
          only(typed("gain", T::real, "", "input scaled by 1 + gain * activation"), {"port_gain"}),
          only(typed("port", T::name, "", "synaptic input port scaled"), {"port_gain"})}});
    std::vector<KeySpec> drug = {
        typed("parent", T::name, "none", "metabolites: the drug they are formed from"),
        typed("fraction_formed", T::real, "1",
              "metabolites: fraction of the parent's elimination (molar)"),
        typed("first_pass_fraction", T::real, "0",
              "metabolites: fraction of the parent's first-pass loss (1 - F of an oral dose) "
              "formed as this "
              "metabolite (molar)"),
        positive(typed("molar_mass", T::real, "",
                       "g/mol of the dosed form per active unit (lithium: 36.95 = Li2CO3 / 2)")),
        positive(typed("assay_molar_mass", T::real, "@molar_mass",
                       "g/mol of the species plasma levels are reported as (ng/mL in `neurochem "
                       "pk`; lithium: 6.94)")),
        typed("bioavailability", T::real, "1", "oral bioavailability F"),
        positive(q("Vd", D::volume_per_mass, "", "volume of distribution")),
        typed("fraction_unbound", T::real, "1", "unbound fraction in plasma"),
        positive(typed("brain_partition", T::real, "1", "unbound brain / unbound plasma (Kp,uu)")),
        positive(q("half_life", D::time, "", "elimination half-life")),
        positive(q("absorption", D::frequency, "1 /h", "absorption rate constant ka")),
    };
    for (auto& k : drug) {
        if (k.key == "bioavailability" || k.key == "fraction_unbound" ||
            k.key == "fraction_formed" || k.key == "first_pass_fraction") {
            k.min = 0;
            k.max = 1;
        }
    }
    for (int ti = 0; ti < drug_target_count; ++ti) {
        const char* t = to_string(static_cast<DrugTarget>(ti));
        KeySpec k = positive(q(std::string("Ki_") + t, D::concentration, "inf uM",
                               std::string("inhibition constant at ") + t + " (inf: no action)"));
        k.allow_infinite = true;
        drug.push_back(k);
        KeySpec e =
            positive(q(std::string("PET_EC50_") + t, D::concentration, "inf uM",
                       std::string("total plasma concentration at half the PET ceiling at ") + t +
                           " (inf: occupancy from Ki instead)"));
        e.allow_infinite = true;
        drug.push_back(e);
        KeySpec m =
            positive(typed(std::string("PET_Emax_") + t, T::real, "1",
                           std::string("PET occupancy ceiling at ") + t + " (with PET_EC50)"));
        m.max = 1;
        drug.push_back(m);
        if (is_receptor_target(static_cast<DrugTarget>(ti))) {
            drug.push_back(nonnegative(typed(
                std::string("efficacy_") + t, T::real, "0",
                std::string("intrinsic efficacy at ") + t +
                    " relative to the endogenous transmitter (0: antagonist, 1: full agonist)")));
        }
    }
    for (DrugTarget t : {DrugTarget::SERT, DrugTarget::NET, DrugTarget::DAT}) {
        KeySpec k =
            positive(q(std::string("allosteric_K_") + to_string(t), D::concentration, "inf uM",
                       std::string("negative allosteric modulation at ") + to_string(t) +
                           ": total plasma concentration of this species that halves "
                           "the occupancy load of every other species (inf: none)"));
        k.allow_infinite = true;
        drug.push_back(k);
    }
    s.push_back({"drug", "[drug.NAME]",
                 "An oral drug or active metabolite: one-compartment PK, targets (configs/drugs/).",
                 drug});
    KeySpec components = within(typed("components", T::name_quantity_list, "",
                                      "the species and their mass fractions of a dose, e.g. "
                                      "escitalopram: 0.5, R_citalopram: 0.5 ([drug.NAME])"),
                                0, 1);
    components.dim = D::none;
    s.push_back({"mixture",
                 "[mixture.NAME]",
                 "A drug given as a mixture of species (a racemate: its enantiomers), each a "
                 "[drug.NAME] with its own PK and affinities; a regimen may dose it.",
                 {components}});
    KeySpec start =
        q("start", D::time, "0 h", "time of the first dose (may be negative: before t = 0)");
    KeySpec rstop = q("stop", D::time, "inf h", "no doses from this time on");
    rstop.allow_infinite = true;
    s.push_back(
        {"regimen",
         "[regimen.NAME]",
         "Repeated doses of a drug: oral, i.v. bolus or i.v. infusion.",
         {typed("drug", T::name, "", "the drug ([drug.NAME])"),
          only(nonnegative(q("dose", D::mass, "", "dose")), {"oral", "iv_bolus", "iv_infusion"}),
          only(nonnegative(q("concentration", D::concentration, "",
                             "bath: unbound concentration at the target while active")),
               {"bath"}),
          positive(q("interval", D::time, "24 h", "time between doses")), start, rstop,
          choice("route", {"oral", "iv_bolus", "iv_infusion", "bath"}, "oral",
                 "oral (absorbed at ka, first pass 1 - F), iv_bolus or iv_infusion (into plasma), "
                 "or bath (a constant concentration at the target from start to stop, no PK)"),
          only(positive(q("infusion", D::time, "1 h",
                          "iv_infusion: duration of each infusion (<= interval)")),
               {"iv_infusion"})}});

    // ---- plasticity --------------------------------------------------------------------------
    const std::vector<std::string> stdp = {"stdp_pair", "stdp_triplet", "three_factor"};
    KeySpec wmax = synaptic(
        q("w_max", D::none, "inf", "largest weight (weights are clipped to [w_min, w_max])"));
    wmax.allow_infinite = true;
    KeySpec mu = within(
        typed("mu", T::real, "0",
              "weight dependence: 0 additive (Song 2000), 1 multiplicative (van Rossum 2000)"),
        0, 1);
    const KeySpec forget = infinite_allowed(positive(
        q("tau_forget", D::time, "inf h",
          "weights relax toward their initial values with this time constant, on the slow clock "
          "between windows (needs [protocol]; inf: no forgetting)")));
    const KeySpec consolidate = infinite_allowed(positive(
        q("tau_consolidate", D::time, "inf h",
          "the weight toward which forgetting relaxes follows the weight with this time constant: "
          "tau_forget / (tau_forget + tau_consolidate) of a learned change is kept for good (needs "
          "a finite tau_forget; inf: none is kept)")));
    const KeySpec early = infinite_allowed(positive(
        q("tau_early", D::time, "inf h",
          "new learning starts in an early stage: the part of each window's weight change that "
          "[sleep] capture_inhibition leaves uncaptured decays with this time constant on the "
          "slow clock (needs [protocol]; inf: all of it is kept; with capture_inhibition 0, or "
          "no [sleep], all of it is captured and this key changes nothing)")));
    s.push_back(
        {"plasticity",
         "[plasticity.PRE->POST] or [plasticity.PRE->POST:LABEL]",
         "Synaptic plasticity of the projection of the same name (docs/model/plasticity.md). "
         "Traces jump by 1 at "
         "each spike; A_plus and A_minus are in the projection's weight unit.",
         {choice("rule", {"none", "stdp_pair", "stdp_triplet", "three_factor"}, "",
                 "plasticity rule (none: static weights, e.g. with scaling only)"),
          only(positive(q("tau_plus", D::time, "20 ms", "time constant of the presynaptic trace")),
               stdp),
          only(
              positive(q("tau_minus", D::time, "20 ms", "time constant of the postsynaptic trace")),
              stdp),
          only(positive(q("tau_y", D::time, "114 ms",
                          "time constant of the slow postsynaptic trace (triplet)")),
               {"stdp_triplet"}),
          only(synaptic(nonnegative(q("A_plus", D::none, "0",
                                      "potentiation per (post spike x pre trace); triplet: A2+"))),
               stdp),
          only(synaptic(nonnegative(
                   q("A_minus", D::none, "0",
                     "depression per (pre spike x post trace), subtracted; triplet: A2-"))),
               stdp),
          only(synaptic(nonnegative(q("A3_plus", D::none, "0", "triplet potentiation term A3+"))),
               {"stdp_triplet"}),
          only(mu, {"stdp_pair", "three_factor"}),
          synaptic(q("w_min", D::none, "0", "smallest weight")),
          wmax,
          only(typed("sliding_threshold", T::boolean, "false",
                     "homeostatic sliding threshold of Zenke et al. 2013 (A2- from the post rate; "
                     "A_minus ignored)"),
               {"stdp_triplet"}),
          only(positive(q("kappa", D::frequency, "3 Hz", "target rate of the sliding threshold")),
               {"stdp_triplet"}),
          only(positive(q("tau_hom", D::time, "50 s",
                          "time constant of the post rate estimate (sliding threshold)")),
               {"stdp_triplet"}),
          only(positive(q("tau_eligibility", D::time, "1 s",
                          "decay time constant of the eligibility trace")),
               {"three_factor"}),
          only(typed("learning_rate", T::real, "0",
                     "weight change per (uM of DA above baseline x eligibility x s), in 1/(uM s)"),
               {"three_factor"}),
          only(nonnegative(q("dopamine_baseline", D::concentration, "0 uM",
                             "DA concentration with no learning (the region's tonic level)")),
               {"three_factor"}),
          only(positive(
                   q("update_interval", D::time, "10 ms",
                     "how often eligibility turns into weight (a multiple of the chemistry step)")),
               {"three_factor"}),
          typed("scaling", T::boolean, "false",
                "homeostatic synaptic scaling of each post neuron's incoming weights"),
          positive(q("scaling_target", D::frequency, "1 Hz", "set-point rate of the scaling")),
          positive(q("tau_scaling", D::time, "1 h", "time constant of the scaling")),
          positive(q("scaling_rate_tau", D::time, "1 s",
                     "time constant of each neuron's rate estimate")),
          positive(q("scaling_interval", D::time, "100 ms", "how often the weights are scaled")),
          forget,
          consolidate,
          early,
          choice("weight_storage", {"float", "double"}, "float",
                 "per-synapse weight storage (4 or 8 bytes)"),
          typed("record_weights", T::boolean, "false",
                "write the final weights to /edges/<projection> in the output (SONATA edges)")}});

    // ---- days and weeks --------------------------------------------------------------------
    KeySpec rec_every =
        nonnegative(q("record_every", D::time, "1 day",
                      "fast output (spikes, rates, traces) for one window per period "
                      "(0 ms: every window; inf: none)"));
    rec_every.allow_infinite = true;
    s.push_back(
        {"protocol",
         "[protocol]",
         "Days and weeks in one run: with this section, simulation.duration is calendar time, run "
         "as slow steps each represented by a fast window (docs/slow-engine.md).",
         {positive(
              q("slow_step", D::time, "1 h", "step of the slow clock (also cut at session edges)")),
          positive(q("window", D::time, "2 s",
                     "simulated time per slow step whose averages drive the slow equations")),
          nonnegative(q("settle", D::time, "0.5 s", "simulated before each window, not averaged")),
          rec_every,
          nonnegative(q("record_at", D::time, "12 h",
                        "the recorded window is that of the slow step containing this time of "
                        "each record_every period"))}});
    KeySpec until = q("until", D::time, "inf h", "no session starts at or after this time");
    until.allow_infinite = true;
    until.min = 0;
    KeySpec rates = typed(
        "rates", T::name_quantity_list, "none",
        "Poisson drive rates during the session, e.g. DRN: 1 Hz, LC: 0.5 Hz ([poisson.NAME])");
    rates.dim = D::frequency;
    rates.min = 0;
    s.push_back(
        {"session",
         "[session.NAME]",
         "A stretch of calendar time (once or repeated) during which inputs differ: sleep, "
         "exercise, therapy, a probe stimulus. Times from t = 0 (midnight of day 0).",
         {nonnegative(q("start", D::time, "", "calendar time of the first start")),
          positive(q("length", D::time, "", "duration of each session")),
          nonnegative(q("every", D::time, "0 h", "repeat period (0: once)")), until, rates,
          typed("asleep", T::boolean, "false",
                "the session is sleep (the sleep-wake state written to /slow/protocol/asleep)"),
          typed("exercise", T::boolean, "false",
                "the session is physical exercise (/slow/protocol/exercise; drives BDNF expression "
                "of [bdnf.POP]; its drive changes are given by rates)"),
          typed("isolate", T::name_list, "none",
                "populations whose synaptic input (every port: projections and Poisson drives) is "
                "cut during the session, as in a slice (they must express a receptor type; none: "
                "off)"),
          typed("washout", T::boolean, "false",
                "drugs given by a non-bath route are absent from the tissue during the session "
                "(target concentration 0, plasma unchanged), as in a perfused slice"),
          typed("whole", T::boolean, "false",
                "simulate the session's slow steps whole instead of by a window (short stimuli, "
                "e.g. a probe; keep them short: their fast time is simulated in full)"),
          typed("enabled", T::boolean, "true",
                "false: the session is checked but never held (a sweep or trial arm without it, "
                "e.g. session.cbt.enabled = true, false)")}});
    KeySpec gmax = positive(typed("max_gain", T::real, "inf", "upper bound of the drive's gain g"));
    gmax.allow_infinite = true;
    s.push_back(
        {"homeostasis",
         "[homeostasis.NAME]",
         "Slow homeostatic regulation of a Poisson drive towards a set-point rate of a population: "
         "d ln g/dt = (target - r)/(target tau), drive rate = protocol rate x g (needs "
         "[protocol]).",
         {typed("drive", T::name, "", "the Poisson drive it scales ([poisson.NAME])"),
          typed("population", T::name, "", "the population whose mean rate is regulated"),
          positive(q("target", D::frequency, "", "set-point rate")),
          positive(q("tau", D::time, "", "time constant of the regulation")),
          nonnegative(typed("min_gain", T::real, "0", "lower bound of the drive's gain g")),
          gmax}});
    auto factor = [&](const char* key, const char* what) {
        KeySpec k = positive(typed(key, T::real, "1", what));
        k.max = 100;
        return k;
    };
    s.push_back(
        {"patient",
         "[patient]",
         "A virtual patient's vulnerability profile (docs/model/outcomes.md): each key is a factor "
         "(1: the calibrated circuit) on a documented set of model parameters.",
         {factor("autoreceptor_density",
                 "x density of the raphe 5-HT1A autoreceptor (receptor type `autoreceptor`)"),
          typed("autoreceptor", T::name, "5HT1A_auto", "the autoreceptor's receptor type"),
          factor("sert_density", "x Vmax of every SERT uptake"),
          factor("bdnf_expression", "x basal and CREB-driven expression of every [bdnf]"),
          factor("pfc_amygdala_coupling",
                 "x weights of every projection from region PFC to region amygdala"),
          factor("stress_drive",
                 "x rates of the Poisson drives onto stress_targets (sessions included)"),
          typed("stress_targets", T::name_list, "BLA_E",
                "populations whose drives stress_drive scales"),
          factor("sleep_drive", "x the [sleep] drive (base rate and pressure gain)")}});
    auto weight = [&](const char* key, const char* def, const char* what) {
        return nonnegative(typed(key, T::real, def, what));
    };
    KeySpec drop = within(typed("response_drop", T::real, "0.5",
                                "response: the rating has fallen by this fraction of the baseline"),
                          0, 1);
    drop.min_exclusive = true;
    s.push_back(
        {"outcomes",
         "[outcomes]",
         "The clinical score of a course and its outcomes (needs [protocol] and a probe; "
         "docs/model/outcomes.md): each day score = 100 max(0, w_A (A/A_ref - 1) + w_C (1 - "
         "C/C_ref) + w_B (1 - B/B_ref) + w_N (1 - N/N_ref) + w_Z (1 - Z/Z_ref)); the rating (mean "
         "score of the last days) decides response, remission and relapse.",
         {typed("probe", T::name, "threat", "the probe whose cues are scored ([probe.NAME])"),
          typed("amygdala", T::name, "CeA", "readout population of the amygdala output (A)"),
          typed("prefrontal", T::name, "IL_E", "readout population of prefrontal control (C)"),
          nonnegative(q("probe_at", D::time, "13 h",
                        "time of day of the scoring probe (cues in the hour from then)")),
          typed("bdnf", T::name, "none", "population of the [bdnf] whose protein is B"),
          typed("neurogenesis", T::name, "none",
                "population of the [neurogenesis] whose mean integration is N"),
          positive(typed("amygdala_reference", T::real, "9",
                         "healthy A: amygdala output rate during a cue (Hz)")),
          positive(typed("prefrontal_reference", T::real, "2",
                         "healthy C: prefrontal rate during a cue (Hz)")),
          positive(typed("bdnf_reference", T::real, "1", "healthy B (relative units)")),
          positive(typed("neurogenesis_reference", T::real, "0.3",
                         "healthy N: mean integration of the newborn pool")),
          positive(q("sleep_reference", D::time, "8 h", "healthy Z: sleep per day")),
          weight("weight_amygdala", "0.35", "w_A"),
          weight("weight_prefrontal", "0.2", "w_C"),
          weight("weight_bdnf", "0.15", "w_B"),
          weight("weight_neurogenesis", "0.1", "w_N"),
          weight("weight_sleep", "0.2", "w_Z"),
          choice("sleep_term", {"signed", "deficit"}, "signed",
                 "how sleep enters: signed w_Z (1 - Z/Z_ref), sleep above the reference lowering "
                 "the score; deficit w_Z max(0, 1 - Z/Z_ref), only lost sleep counting (HAM-D's "
                 "sleep items score insomnia only)"),
          nonnegative(q("burn_in", D::time, "0 days",
                        "the first days are not scored (initial transients; whole days)")),
          positive(q("baseline", D::time, "7 days",
                     "the first days, whose mean score is the baseline (whole days)")),
          positive(q("rating_window", D::time, "7 days",
                     "the rating is the mean score of this many last days (whole days)")),
          drop,
          nonnegative(typed("remission_below", T::real, "7", "remission threshold of the rating")),
          positive(q("remission_for", D::time, "7 days",
                     "remission: the rating stays below the threshold this long (whole days)")),
          nonnegative(typed("relapse_above", T::real, "15", "relapse threshold of the rating")),
          positive(q("relapse_for", D::time, "7 days",
                     "relapse: the rating stays above its threshold this long (whole days)")),
          nonnegative(q("continuation_from", D::time, "0 days",
                        "relapse prevention: `neurochem collect` also follows relapse from this "
                        "day in patients in remission on it (whole days; 0: not used)")),
          nonnegative(typed("enrol_min_baseline", T::real, "0",
                            "enrolment: a trial (`neurochem collect`) counts only patients whose "
                            "baseline rating is at least this (0: every patient)"))}});
    KeySpec smin = positive(typed("min", T::real, "0.25", "smallest scaling factor"));
    KeySpec smax = positive(typed("max", T::real, "4", "largest scaling factor"));
    s.push_back(
        {"scaling",
         "[scaling.POP]",
         "Homeostatic synaptic scaling of population POP's excitatory input on the slow clock "
         "(needs [protocol]; docs/model/slow.md): every synapse on the named ports is multiplied "
         "by one factor s, d ln s/dt = (target - r)/(target tau), r the population's window rate "
         "(with `onset`, the error e = (target - r)/target acts through a first-order filter; "
         "with `set_point = baseline` the target is the population's own mean rate over a "
         "baseline; with `sense = awake` only awake windows are sensed).",
         {typed("ports", T::name_list, "exc", "the excitatory input ports that are scaled"),
          nonnegative(q("target", D::frequency, "0 Hz",
                        "set-point rate of the population (required, > 0, with set_point = "
                        "given)")),
          choice("set_point", {"given", "baseline"}, "given",
                 "given: the set point is `target`; baseline: it is the population's mean sensed "
                 "rate over the slow steps that begin in [baseline_from, baseline_until), and "
                 "the scaling is idle until baseline_until"),
          nonnegative(q("baseline_from", D::time, "0 h",
                        "start of the baseline (calendar time; set_point = baseline)")),
          nonnegative(q("baseline_until", D::time, "0 h",
                        "end of the baseline (calendar time; set_point = baseline)")),
          choice("sense", {"always", "awake"}, "always",
                 "always: every window's rate is sensed; awake: only windows measured awake by "
                 "[sleep]; asleep, the scaling pauses (factor and sensed error held: firing-rate "
                 "homeostasis acts in wake, Hengen et al. 2016), and the set point is one of "
                 "waking firing"),
          positive(q("tau", D::time, "", "time constant of the scaling (Turrigiano: 1-2 days)")),
          nonnegative(q("onset", D::time, "0 h",
                        "time constant with which the rate error is sensed, m' = (e - m)/onset "
                        "and d ln s/dt = m/tau (0: at once, m = e); a delayed, transcription-"
                        "dependent onset")),
          smin, smax}});
    KeySpec rec =
        q("recovery", D::time, "inf h", "time constant of the return to the initial value");
    rec.min = 0;
    rec.min_exclusive = true;
    rec.allow_infinite = true;
    KeySpec xmax = nonnegative(typed("max", T::real, "inf", "largest value of x"));
    xmax.allow_infinite = true;
    KeySpec ref =
        within(typed("reference", T::real, "0",
                     "occupancy by the transmitter above which the receptor down-regulates"),
               0, 1);
    KeySpec below =
        within(typed("regulated_below", T::real, "0.5",
                     "a neuron counts as regulated when x < this times its initial value"),
               0, 1);
    s.push_back(
        {"regulation",
         "[regulation.NAME]",
         "Slow regulation of a receptor's coupling efficacy (or density) in each neuron of a "
         "population (needs [protocol] and chemistry; docs/model/slow.md): dx/dt = (x0 - "
         "x)/recovery + k_i [up b (max - x) - down max(0, o - reference) (x - min)], o the "
         "neuron's window-mean occupancy by the transmitter, b its drug-bound fraction, k_i = "
         "exp(spread z_i) a per-neuron rate factor (z_i standard normal from the seed).",
         {typed("population", T::name, "", "the population whose neurons regulate"),
          typed("receptor", T::name, "", "the receptor type (expressed by the population)"),
          choice("regulates", {"efficacy", "density"}, "efficacy",
                 "coupling efficacy (sensitivity, binding unchanged) or density (binding sites)"),
          ref,
          nonnegative(q("down", D::frequency, "0 /h",
                        "down-regulation rate per unit of occupancy above the reference")),
          nonnegative(q("up", D::frequency, "0 /h",
                        "up-regulation rate per unit of drug-bound (antagonist) fraction")),
          rec, nonnegative(typed("min", T::real, "0", "smallest value of x")), xmax,
          nonnegative(typed("spread", T::real, "0",
                            "standard deviation of ln k_i (heterogeneity of rates)")),
          below}});
    KeySpec urec = q("recovery", D::time, "inf h", "time constant of the return to full density");
    urec.min = 0;
    urec.min_exclusive = true;
    urec.allow_infinite = true;
    KeySpec umin = within(typed("min", T::real, "0", "smallest density factor"), 0, 1);
    s.push_back(
        {"uptake_regulation",
         "[uptake_regulation.NAME]",
         "Slow regulation of a transporter's density in one uptake (needs [protocol]; "
         "docs/model/slow.md): Vmax x x, dx/dt = (1 - x)/recovery - down o (x - min), o the "
         "window-mean drug occupancy of the uptake's transporter (e.g. SERT under an SSRI).",
         {typed("region", T::name, "", "the region of the uptake ([uptake.REGION.NAME])"),
          typed("uptake", T::name, "", "the uptake's NAME ([uptake.REGION.NAME])"),
          nonnegative(q("down", D::frequency, "0 /h", "down-regulation rate per unit occupancy")),
          urec, umin}});
    KeySpec mao_share =
        within(typed("mao_share", T::real, "0.75",
                     "share of the store's breakdown by MAO-A (an MAO-A inhibitor can at "
                     "most raise the store 1/(1 - mao_share)-fold)"),
               0, 0.99);
    s.push_back(
        {"synthesis",
         "[synthesis.NAME]",
         "Synthesis (tryptophan hydroxylase) and breakdown (MAO-A) of the serotonin store of the "
         "terminals releasing into a region's 5-HT pool (needs [protocol]; docs/model/slow.md): "
         "release per spike x s, ds/dt = (g(T)/g(1) - (m (1 - i) + 1 - m) s)/turnover, "
         "g(T) = T/(T + TPH_Km), i the drugs' window-mean occupancy of MAO-A.",
         {typed("region", T::name, "", "the region of the 5-HT pool ([pool.REGION.5HT])"),
          positive(q("turnover", D::time, "1.5 h", "time constant of the store")), mao_share,
          nonnegative(typed("tryptophan", T::real, "1",
                            "tryptophan availability (1 normal; acute depletion ~0.2)")),
          positive(typed("TPH_Km", T::real, "2",
                         "tryptophan hydroxylase's Km for tryptophan, in units of normal brain "
                         "tryptophan"))}});
    s.push_back(
        {"inositol",
         "[inositol.POP]",
         "Tissue inositol n of each neuron of population POP on the slow clock, the substrate "
         "lithium's IMPase inhibition depletes (needs [protocol]; POP expresses a Gq-coupled "
         "receptor; docs/model/slow.md): the [messengers] inositol cycle with PIP2 and IP1 at "
         "their quasi-steady state, dn/dt = inositol_supply (1 - n) - max(0, J(n) - "
         "IMPase_Vmax (1 - o)), J(n) = p k_r n/(k_r n + p), p = PLC_basal + PLC_Gq G (G the "
         "neuron's window-mean Gq activation, k_r PIP2_resynthesis, o the drugs' window-mean "
         "IMPase occupancy). The effects of POP's Gq-coupled receptors are scaled by the PLC "
         "flux relative to n = 1, n (k_r + p)/(k_r n + p).",
         {within(
             typed("initial", T::real, "1", "inositol at t = 0, relative to the untreated level"),
             0, 1)}});
    s.push_back(
        {"bdnf",
         "[bdnf.POP]",
         "BDNF per neuron of population POP (needs [protocol]; POP expresses receptors, so it has "
         "second messengers; docs/model/slow.md): expression e = (basal + creb_gain CREB + "
         "exercise_gain E)(1 + gsk3_gain o_GSK3) (E = 1 in exercise sessions, o_GSK3 the drugs' "
         "occupancy of GSK-3), protein dB/dt = (e - B)/tau, in units of the untreated level.",
         {nonnegative(typed("basal", T::real, "1", "expression without CREB or exercise")),
          nonnegative(typed("creb_gain", T::real, "0",
                            "expression per unit of the neuron's window-mean CREB")),
          nonnegative(
              typed("exercise_gain", T::real, "0", "extra expression during exercise sessions")),
          nonnegative(
              typed("gsk3_gain", T::real, "0",
                    "relative rise of expression per unit GSK-3 inhibition by drugs (lithium)")),
          positive(q("tau", D::time, "4 days", "time constant of the protein (turnover)")),
          nonnegative(typed("initial", T::real, "1", "protein at t = 0")),
          typed("gates", T::projection_list, "none",
                "plastic projections (PRE->POST) this BDNF gates (TrkB), by g = B^gate_exponent, "
                "B the population-mean protein: a three-factor rule's learning rate x g, an STDP "
                "rule's potentiation amplitudes x g (LTP needs BDNF; depression is ungated)"),
          nonnegative(typed("gate_exponent", T::real, "1",
                            "exponent of the gating: gain g = B^gate_exponent"))}});
    KeySpec integ =
        within(typed("integrated_above", T::real, "0.5",
                     "a slot counts as an integrated neuron when its integration exceeds this"),
               0, 1);
    KeySpec winit =
        within(typed("initial", T::real, "0.4", "integration of every slot at t = 0"), 0, 1);
    s.push_back(
        {"neurogenesis",
         "[neurogenesis.POP]",
         "Adult neurogenesis in the newborn-neuron pool POP (needs [protocol]; "
         "docs/model/slow.md): "
         "each neuron is a slot whose integration w in [0, 1] scales all its synaptic input; dw/dt "
         "= k S (1 - w)/maturation - w/turnover, S = BDNF (1 + exercise_gain E)(1 + activity_gain "
         "rate), k a per-slot log-normal rate factor.",
         {typed("bdnf", T::name, "none",
                "population whose [bdnf] protein (mean) drives survival; none: 1"),
          positive(q("maturation", D::time, "6 weeks", "time scale of maturation and integration")),
          positive(
              q("turnover", D::time, "4 weeks", "time scale of the loss of integrated neurons")),
          nonnegative(
              typed("exercise_gain", T::real, "0", "relative rise of S in exercise sessions")),
          nonnegative(q("activity_gain", D::time, "0 s",
                        "relative rise of S per Hz of the slot's own firing")),
          nonnegative(typed("spread", T::real, "0", "standard deviation of ln k (per-slot rates)")),
          winit, integ}});
    s.push_back(
        {"sleep",
         "[sleep]",
         "Sleep-wake regulation on the slow clock (needs [protocol]): a homeostatic sleep pressure "
         "H (pressure_law = rate: chi dH/dt = -H + mu Q_m, Q_m the mean rate of the wake-promoting "
         "populations, Phillips & Robinson 2007; pressure_law = state: built in wake and "
         "discharged in sleep, Borbely's process S) and a circadian term set the rate of the "
         "drives onto the sleep-promoting populations: rate = base_rate + pressure_gain H - "
         "circadian_amplitude cos(2 pi (t - circadian_peak)/period), at least 0 Hz. The "
         "network's flip-flop decides the state "
         "(docs/model/circuit.md).",
         {typed("drive", T::name_list, "",
                "the Poisson drives onto the sleep-promoting populations (each gets the rate "
                "above; e.g. the two VLPO types)"),
          typed("sleep_population", T::name_list, "",
                "the sleep-promoting populations (VLPO; the two VLPO types): the network sleeps "
                "through a window when their size-weighted mean rate exceeds asleep_above"),
          choice("pressure_law", {"rate", "state"}, "rate",
                 "rate: chi dH/dt = -H + mu Q_m (Phillips & Robinson 2007); state: H relaxes "
                 "towards awake_level (time constant chi) while the network is awake and towards "
                 "asleep_level (chi_asleep) while it sleeps (Borbely's process S)"),
          typed("wake_populations", T::name_list, "none",
                "the wake-promoting populations whose mean rate "
                "Q_m produces sleep pressure (LC, DRN; used by pressure_law = rate, "
                "ignored by state)"),
          nonnegative(typed("awake_level", T::real, "0",
                            "pressure_law = state: the level H approaches in sustained wake, nM")),
          nonnegative(typed("asleep_level", T::real, "0",
                            "pressure_law = state: the level H approaches in sustained sleep, nM")),
          positive(q("chi_asleep", D::time, "@chi",
                     "pressure_law = state: time constant of sleep pressure while asleep")),
          positive(q("asleep_above", D::frequency, "5 Hz",
                     "a slow step is asleep when the sleep population's window rate exceeds this")),
          positive(q("chi", D::time, "10.8 h",
                     "time constant of sleep pressure (while awake with pressure_law = state)")),
          positive(typed("mu", T::real, "3.6", "sleep pressure produced per Hz of Q_m, nM s")),
          nonnegative(typed("initial_pressure", T::real, "10", "sleep pressure at t = 0, nM")),
          nonnegative(q("base_rate", D::frequency, "0 Hz",
                        "drive rate at zero pressure and circadian phase 90 deg")),
          typed("pressure_gain", T::real, "0", "drive rate per nM of sleep pressure, Hz/nM"),
          nonnegative(q("circadian_amplitude", D::frequency, "0 Hz",
                        "amplitude of the circadian wake drive")),
          nonnegative(q("circadian_peak", D::time, "18 h",
                        "time of day at which the circadian wake drive peaks")),
          positive(q("period", D::time, "24 h", "circadian period")),
          typed(
              "pressure_inhibits", T::name_list, "none",
              "drives inhibited by sleep pressure above pressure_reference (hypothesis: adenosine "
              "A1 inhibition of prefrontal input after sleep loss; none: off)"),
          nonnegative(typed("pressure_reference", T::real, "0",
                            "sleep pressure below which nothing is inhibited, nM")),
          nonnegative(
              typed("pressure_inhibition", T::real, "0",
                    "fractional reduction of those drives per nM above pressure_reference")),
          nonnegative(typed(
              "capture_inhibition", T::real, "0",
              "hypothesis, off at 0: fractional reduction per nM above pressure_reference of the "
              "part of new learning that lasts, in projections with a tau_early (sleep loss "
              "impairs late LTP)")),
          positive(typed("clearance_asleep", T::real, "1",
                         "hypothesis, off at 1: factor on every pool's loss rate while asleep "
                         "(Xie et al. 2013; not found by Miao et al. 2024)"))}});
    return s;
}
}  // namespace

bool KeySpec::applies_to(const std::string& selector) const {
    return only_for.empty() ||
           std::find(only_for.begin(), only_for.end(), selector) != only_for.end();
}

std::string KeySpec::default_for(const std::string& selector) const {
    const auto it = model_defaults.find(selector);
    return it != model_defaults.end() ? it->second : default_value;
}

std::string KeySpec::type_text() const {
    const std::string unit = synaptic ? "synaptic unit" : dimension_name(dim);
    switch (type) {
        case T::quantity:
            return synaptic ? "quantity (nS, pA or mV)"
                            : std::string(dimension_name(dim)).substr(2);
        case T::distribution:
            return "value or distribution of " + (synaptic
                                                      ? std::string("nS, pA or mV")
                                                      : std::string(dimension_name(dim)).substr(2));
        case T::integer:
            return "integer";
        case T::real:
            return "number";
        case T::boolean:
            return "boolean";
        case T::choice:
            return "one of: " + text::join(choices, ", ");
        case T::name:
            return "name";
        case T::name_list:
            return "comma-separated names";
        case T::projection_list:
            return "comma-separated projections (PRE->POST[:LABEL])";
        case T::name_quantity_list:
            return "NAME: " + std::string(dimension_name(dim)).substr(2) + ", ... (or none)";
    }
    return unit;
}

std::string KeySpec::range_text() const {
    const bool lo = min > -std::numeric_limits<double>::infinity();
    const bool hi = max < std::numeric_limits<double>::infinity();
    const std::string u =
        (type == T::quantity && dim != D::none) ? std::string(" ") + internal_unit(dim) : "";
    if (lo && hi) return "[" + text::format_double(min) + ", " + text::format_double(max) + "]" + u;
    if (lo) return (min_exclusive ? "> " : ">= ") + text::format_double(min) + u;
    if (hi) return "<= " + text::format_double(max) + u;
    return "";
}

const KeySpec* SectionSpec::find(const std::string& key) const {
    for (const auto& k : keys) {
        if (k.key == key) return &k;
    }
    return nullptr;
}

std::vector<std::string> SectionSpec::key_names() const {
    std::vector<std::string> out;
    for (const auto& k : keys)
        out.push_back(k.key);
    return out;
}

const std::vector<SectionSpec>& schema() {
    static const std::vector<SectionSpec> s = build();
    return s;
}

const SectionSpec* find_section_kind(const std::string& kind) {
    for (const auto& s : schema()) {
        if (s.kind == kind) return &s;
    }
    return nullptr;
}

Dimension synaptic_dimension(const std::string& model) {
    if (model == "lif_cuba_exp") return Dimension::current;
    if (model == "lif_cuba_delta") return Dimension::voltage;
    return Dimension::conductance;
}

}  // namespace neurochem::config
