-- Where projects lie, as the remit rules read them (host and first-talk paths, chain, owner), as JSON (issue 18).
-- A function so that the card action's one read (src/store/action-context.ts) can be planned once per connection:
-- with this lookup written inline, PostgreSQL guessed ten rows for the card's id array, found the statement's
-- generic plan dearer than planning it anew, and planned it on every click (0.5 ms of the server's CPU of 0.8).
-- The function plans its own small query; the statement around it keeps one plan.
create or replace function project_places(ids int[]) returns json
language plpgsql stable as $$
begin
  return (
    select json_agg(json_build_object('id', p.id, 'hostPath', h.path, 'firstTalkPath', f.path,
                                      'chainId', p.chain_id, 'ownerId', p.owner_id))
      from projects p
      left join units h on h.id = p.host_unit_id
      left join units f on f.id = p.first_talk_unit_id
     where p.id = any(ids)
  );
end
$$;
