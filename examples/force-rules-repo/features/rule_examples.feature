Feature: The worked examples written in our rule files
  Each rule file carries examples (a record and the outcome it should get). They are the quickest
  check a rule author can write; this scenario runs them all through the engine.

  Scenario: Every rule's examples hold, and every rule has one that passes and one that fails
    Given the pack
    Then every rule's examples give their stated outcomes
    And every rule has a passing and a failing example

  Scenario: The examples hold on the python engine too
    Given the pack
    And the engine is python
    Then every rule's examples give their stated outcomes
