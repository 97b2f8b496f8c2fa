/** The `vader-sentiment` port ships no types; bench/sentiment-vs-vader.ts uses this much of it. */
declare module 'vader-sentiment' {
  const vader: {
    SentimentIntensityAnalyzer: { polarity_scores(text: string): { neg: number; neu: number; pos: number; compound: number } };
  };
  export default vader;
}
