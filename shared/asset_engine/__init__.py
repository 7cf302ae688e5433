"""asset-engine: the shared code layer every Lambda function of the suite stands on."""
