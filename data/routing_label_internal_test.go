package data

// SetLabelBatchForTest makes ForEachRoutingLabel read n labelled tickets per transaction.
func SetLabelBatchForTest(n int) { labelBatch = n }
