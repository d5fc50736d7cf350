// Messages for rules in src/domain: amounts, stages, dates.
export default {} as const;
