#include <gtest/gtest.h>

#include <cmath>

#include "config/units.hpp"

using namespace neurochem::config;

TEST(Units, ConvertsToInternalUnits) {
    EXPECT_EQ(parse_quantity("0.1 ms", Dimension::time), 0.1);
    EXPECT_EQ(parse_quantity("2 s", Dimension::time), 2000.0);
    EXPECT_EQ(parse_quantity("0.1 s", Dimension::time), 100.0);  // decimal shift, no rounding
    EXPECT_EQ(parse_quantity("1e-4 s", Dimension::time), 0.1);
    EXPECT_EQ(parse_quantity("100 us", Dimension::time), 0.1);
    EXPECT_EQ(parse_quantity("1 day", Dimension::time), 86400000.0);
    EXPECT_EQ(parse_quantity("2 h", Dimension::time), 7200000.0);
    EXPECT_EQ(parse_quantity("-70 mV", Dimension::voltage), -70.0);
    EXPECT_EQ(parse_quantity("-0.07 V", Dimension::voltage), -70.0);
    EXPECT_EQ(parse_quantity("6 nS", Dimension::conductance), 6.0);
    EXPECT_EQ(parse_quantity("0.006 uS", Dimension::conductance), 6.0);
    EXPECT_EQ(parse_quantity("0.2 nF", Dimension::capacitance), 200.0);
    EXPECT_EQ(parse_quantity("1.5 nA", Dimension::current), 1500.0);
    EXPECT_EQ(parse_quantity("8 Hz", Dimension::frequency), 8.0);
    EXPECT_EQ(parse_quantity("20 kHz", Dimension::frequency), 20000.0);
    EXPECT_EQ(parse_quantity("3ms", Dimension::time), 3.0);
}

TEST(Units, MissingUnitNamesTheAllowedUnits) {
    try {
        parse_quantity("20", Dimension::time);
        FAIL() << "a time without a unit was accepted";
    } catch (const ValueError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("needs a unit"), std::string::npos) << m;
        EXPECT_NE(m.find("'20 ms'"), std::string::npos) << m;
        EXPECT_NE(m.find("s, ms, us, min, h, day"), std::string::npos) << m;
    }
}

TEST(Units, WrongDimensionAndUnknownUnitAndNonNumbersAreErrors) {
    EXPECT_THROW(parse_quantity("20 mV", Dimension::time), ValueError);
    EXPECT_THROW(parse_quantity("20 furlongs", Dimension::time), ValueError);
    EXPECT_THROW(parse_quantity("abc ms", Dimension::time), ValueError);
    EXPECT_THROW(parse_quantity("1.2.3 ms", Dimension::time), ValueError);
    EXPECT_THROW(parse_quantity("inf ms", Dimension::time), ValueError);  // not allowed here
    EXPECT_THROW(parse_quantity("", Dimension::voltage), ValueError);
    try {
        parse_quantity("20 mV", Dimension::time);
    } catch (const ValueError& e) {
        EXPECT_NE(std::string(e.what()).find("is a unit of a voltage"), std::string::npos) << e.what();
    }
}

TEST(Units, InfinityOnlyWhereAllowed) {
    EXPECT_TRUE(std::isinf(parse_quantity("inf ms", Dimension::time, true)));
    EXPECT_TRUE(std::isinf(parse_quantity("inf", Dimension::time, true)));
    EXPECT_LT(parse_quantity("-inf mV", Dimension::voltage, true), 0);
}

TEST(Units, FormatRoundTrips) {
    for (double v : {0.1, -70.0, 6.0, 1e-5, 123456.789, 0.30000000000000004}) {
        const std::string s = format_quantity(v, Dimension::voltage);
        EXPECT_EQ(parse_quantity(s, Dimension::voltage), v) << s;
    }
    EXPECT_EQ(format_quantity(0.1, Dimension::time), "0.1 ms");
    EXPECT_EQ(format_quantity(-0.0, Dimension::time), "0 ms");
}
