package contract

// APIDataCollector marks an Exchange of the Data Collector (Exchange.API):
// c3dmock proxy records which host answered, and Diff compares such an
// exchange with the Data Collector document (its second document) even
// where a path exists in both (/v0/scenes/{sceneId}).
const APIDataCollector = "datacollector"
