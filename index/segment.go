package index

import (
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/baotinh/baotinh/index/internal/zap"
)

// The index's segments are in baotinh's zap format (package
// index/internal/zap): Bleve's zap v16 with term-vector locations of one
// byte or two instead of five or six. It is registered beside the stock
// formats, not as the default: a Bleve index opened or made elsewhere in
// the process (the benchmarks' bare baseline) keeps Bleve's own.
func init() {
	scorch.RegisterSegmentPlugin(&zap.ZapPlugin{}, false)
}
