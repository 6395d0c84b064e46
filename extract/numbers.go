package extract

import (
	"math"
	"strconv"
	"strings"
)

// ParseNumber reads a number as Vietnamese news writes it: "." groups
// thousands and "," marks decimals (2.000 is two thousand, 7,54 is 7.54,
// 1.234.567,5). A single "." not followed by exactly three digits is taken as
// a decimal point (2.5). Integers are exact up to 10^15. It returns false for
// anything else: phone numbers (0238.3565.888), codes, dates.
func ParseNumber(s string) (float64, bool) {
	if s == "" || len(s) > 24 {
		return 0, false
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, ','); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
		if frac == "" || strings.ContainsAny(frac, ",.") || !allDigits(frac) {
			return 0, false
		}
	}
	if intPart == "" {
		return 0, false
	}
	groups := strings.Split(intPart, ".")
	if len(groups) > 1 {
		if len(groups) == 2 && len(groups[1]) != 3 && frac == "" {
			// 2.5: a decimal point, English style.
			intPart, frac = groups[0], groups[1]
			groups = groups[:1]
			if !allDigits(frac) {
				return 0, false
			}
		} else {
			// Thousands: the first group has 1 to 3 digits, the others 3.
			if len(groups[0]) < 1 || len(groups[0]) > 3 || groups[0][0] == '0' && len(groups[0]) > 1 {
				return 0, false
			}
			for _, g := range groups[1:] {
				if len(g) != 3 {
					return 0, false
				}
			}
		}
	}
	digits := strings.Join(groups, "")
	if !allDigits(digits) || len(digits) > 16 {
		return 0, false
	}
	if len(digits) > 1 && digits[0] == '0' && len(groups) == 1 && frac == "" {
		return 0, false // 0238: a phone or code number, not a quantity
	}
	if frac == "" {
		var n uint64
		for _, c := range digits {
			n = n*10 + uint64(c-'0')
		}
		return float64(n), true
	}
	// The nearest float to the decimal as written: 3,72 is 3.72.
	v, err := strconv.ParseFloat(digits+"."+frac, 64)
	return v, err == nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// scale multiplies a number by a scale word's factor exactly when it can:
// 8.742 tỷ is 8742000000000, not 8741999999999.999.
func scale(v float64, factor float64) float64 {
	r := v * factor
	if rounded := math.Round(r); math.Abs(r-rounded) < 1e-6*math.Max(1, math.Abs(r)) && rounded < 1e16 {
		return rounded
	}
	return r
}

// writtenNumbers are number words common in news text. "một" and "năm" are
// left out: they are far more often "a" and "year".
var writtenNumbers = map[string]float64{
	"hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
	"hai mươi": 20, "ba mươi": 30, "mười hai": 12, "mười lăm": 15,
}

// romanValue reads a quarter's Roman numeral, I to IV (quý I; khóa XV is not
// a quarter).
func romanValue(s string) (int, bool) {
	switch strings.ToUpper(s) {
	case "I":
		return 1, true
	case "II":
		return 2, true
	case "III":
		return 3, true
	case "IV":
		return 4, true
	}
	return 0, false
}
